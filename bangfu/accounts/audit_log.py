"""The audit log as pages, API and Excel share it: filters from request parameters, the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from bangfu.accounts import selectors
from bangfu.accounts.models import User
from bangfu.core.errors import FieldProblem, ValidationFailed
from bangfu.core.excel import SheetSpec, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 50_000  # rows in one workbook; a larger selection asks for a narrower filter
FILTER_FIELDS = ("person", "action", "object_type", "object_id", "area", "date_from", "date_to")


def _date(params: Mapping[str, str], name: str, problems: list[FieldProblem]) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(FieldProblem(name, "日期格式应为 2026-01-31", "Give the date as 2026-01-31"))
        return None


def filter_from(params: Mapping[str, str]) -> selectors.AuditFilter:
    """An AuditFilter from query parameters; a malformed date is a 422 naming the field."""
    problems: list[FieldProblem] = []
    since, until = _date(params, "date_from", problems), _date(params, "date_to", problems)
    if since and until and until < since:
        problems.append(FieldProblem("date_to", "结束日期不能早于开始日期", "The end date is before the start date"))
    if problems:
        raise ValidationFailed(problems)
    text = {k: (params.get(k) or "").strip()[:120] for k in ("person", "action", "object_type", "object_id", "area")}
    return selectors.AuditFilter(**text, date_from=since, date_to=until)


COLUMNS = [
    gettext_noop("时间"),
    gettext_noop("操作人"),
    gettext_noop("操作"),
    gettext_noop("对象类型"),
    gettext_noop("对象编号"),
    gettext_noop("区划代码"),
    gettext_noop("区划"),
    gettext_noop("变更内容"),
    gettext_noop("原因"),
]


def workbook(user: User, f: selectors.AuditFilter) -> bytes:
    events = selectors.audit_events(user, f)
    if events[EXPORT_LIMIT : EXPORT_LIMIT + 1].exists():
        raise ValidationFailed(
            [FieldProblem("date_from", "请缩小日期或区划范围", "Narrow the dates or the area")],
            zh=f"超过{EXPORT_LIMIT}条记录，请缩小筛选范围后再导出",
            en=f"More than {EXPORT_LIMIT} events; narrow the filter and export again",
        )
    rows: list[Sequence[Any]] = [
        [
            timezone.localtime(r.event.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(r.event.actor) if r.event.actor else gettext("系统"),
            r.action_label,
            r.object_label,
            r.event.object_id,
            r.event.area_code,
            r.area_name,
            r.change,
            r.event.reason,
        ]
        for r in selectors.audit_rows(user, events)
    ]
    col = {c: gettext(c) for c in COLUMNS}  # the reader's language, headers and sheet alike
    sheet = SheetSpec(
        name=gettext("审计日志"),
        columns=list(col.values()),
        rows=rows,
        text_columns={col["对象编号"], col["区划代码"]},
        widths={col["时间"]: 20, col["变更内容"]: 50, col["原因"]: 40},
    )
    return write_workbook([sheet])
