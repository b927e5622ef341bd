"""Writes of casework configuration: parameters, visit obligations and the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import area_by_code, require
from bangfu.casework.domain import codes, national_calendar
from bangfu.casework.models import CalendarDay, CaseParameters, VisitObligation
from bangfu.core import inputs
from bangfu.core.errors import Conflict, Forbidden, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class ParamValues:
    """The values of a CaseParameters row, parsed at the edge (`casework.inputs.param_values`: the settings
    page's form, the API's `values`); None keeps the model's default. The fields are the model's editable
    ones (a test keeps the two the same)."""

    accept_days: int | None = None
    verify_days: int | None = None
    compare_days: int | None = None
    deliberate_days: int | None = None
    publish_days: int | None = None
    notice_days: int | None = None
    notice_working_days: bool | None = None
    township_review_days: int | None = None
    county_approval_days: int | None = None
    announce_days: int | None = None
    min_months_monitored: int | None = None
    min_measures_done: int | None = None
    stable_income_months: int | None = None
    exclude_no_labour: bool | None = None
    require_guarantees: bool | None = None
    households_per_worker: int | None = None
    report_window_hours: int | None = None
    reports_per_address: int | None = None
    reports_per_id: int | None = None

    def given(self) -> dict[str, int | bool]:
        """The values set (the others keep the model's defaults)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def _area(code: str) -> None:
    if area_by_code(code) is None:
        raise invalid("area", "区划不存在", "the area does not exist")


def _overlap(qs: Any, start: dt.date, end: dt.date | None) -> bool:
    later = Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    return bool(qs.filter(later).filter(**({"effective_from__lte": end} if end else {})).exists())


@transaction.atomic
def params_set(
    *,
    actor: User | None,
    area_code: str,
    effective_from: dt.date,
    values: ParamValues,
    effective_to: dt.date | None = None,
) -> CaseParameters:
    """Add the parameters of an area from a date. Periods of one area may not overlap."""
    require(actor, Cap.CONFIGURE, area_code)
    _area(area_code)
    if _overlap(CaseParameters.objects.filter(area_id=area_code), effective_from, effective_to):
        raise Conflict(
            "该地区在这段时间已有参数，请先为旧参数设置失效日期",
            "Parameters already cover this period; end the old row first",
            "overlap",
        )
    given = values.given()
    row = CaseParameters(area_id=area_code, effective_from=effective_from, effective_to=effective_to, **given)
    if row.notice_days < 5:
        raise invalid("notice_days", "公示期不少于5天", "a notice runs at least 5 days")
    row.full_clean(exclude=["area"])
    row.save()
    audit_record(
        actor=actor,
        action="params_set",
        obj=row,
        area_code=area_code,
        data={k: str(v) for k, v in given.items()},
    )
    return row


@transaction.atomic
def obligation_set(
    *,
    actor: User | None,
    area_code: str,
    category: str,
    visits: int,
    period: str,
    phone_counts: bool,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
) -> VisitObligation:
    require(actor, Cap.CONFIGURE, area_code)
    _area(area_code)
    with inputs.Problems() as problems:
        if category not in codes.VISIT_CATEGORIES:
            problems.add("category", "户类别无效", "unknown household category")
        if period not in codes.VISIT_PERIODS:
            problems.add("period", "周期须为每月或每季度", "period is month or quarter")
        if not 1 <= visits <= 10:
            problems.add("visits", "次数应在1到10之间", "visits must be 1 to 10")
    same = VisitObligation.objects.filter(area_id=area_code, category=category)
    if _overlap(same, effective_from, effective_to):
        raise Conflict("该类别在这段时间已有走访要求", "An obligation already covers this period", "overlap")
    row = VisitObligation.objects.create(
        area_id=area_code,
        category=category,
        visits=visits,
        period=period,
        phone_counts=phone_counts,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    audit_record(actor=actor, action="obligation_set", obj=row, area_code=area_code)
    return row


@transaction.atomic
def calendar_day_set(
    *, actor: User | None, date: dt.date, name: str, working: bool = False, area_code: str | None = None
) -> CalendarDay:
    """Declare a holiday (or, with working=True, a make-up working day) for deadlines."""
    name = inputs.text(name, "name", max_len=40, required=True, zh="名称（如“春节”）", en="name of the day")
    if area_code:
        require(actor, Cap.CONFIGURE, area_code)
        _area(area_code)
    elif actor is not None and not actor.is_superuser:
        raise invalid(
            "area",
            "全国节假日只能由系统管理员设置，请选择本地区",
            "only a system administrator sets national holidays; choose your area",
        )
    where: dict[str, Any] = {"date": date, "area_id": area_code}  # area None: applies everywhere
    row, _ = CalendarDay.objects.update_or_create(**where, defaults={"name": name, "working": working})
    audit_record(actor=actor, action="calendar_day_set", obj=row, area_code=area_code or "")
    return row


@transaction.atomic
def calendar_load_national(*, actor: User | None = None, years: Iterable[int] | None = None) -> int:
    """Add the national holidays and make-up working days the installed `chinesecalendar` knows and
    the table lacks (all its years, or `years`); returns how many rows were added.

    A national row already there is kept as it is (an administrator's correction wins), and local
    rows of provinces and counties are never touched. Run by the data migration on a new install
    and by `bangfu calendar_national` after upgrading the package for a new year.
    """
    if actor is not None and not actor.is_superuser:
        raise Forbidden("全国节假日只能由系统管理员导入", "Only a system administrator loads the national calendar")
    added = fill_national_calendar(CalendarDay, years)
    audit_record(actor=actor, action="calendar_load_national", obj=CalendarDay(), data={"added": added})
    return added


def fill_national_calendar(model: Any, years: Iterable[int] | None = None) -> int:
    """The loader itself, on `model` (the data migration passes its historical model)."""
    days = national_calendar.national_days(years)
    have = set(model.objects.filter(area__isnull=True, date__in=[d.date for d in days]).values_list("date", flat=True))
    rows = [model(date=d.date, working=d.working, name=d.name, area=None) for d in days if d.date not in have]
    model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def calendar_day_delete(*, actor: User | None, pk: int) -> None:
    """Remove a calendar day entered by mistake: deadlines computed afterwards no longer count it.

    Due dates already recorded on cases stay as they were decided (cases store them), so removing
    a day never rewrites a step already taken. The audit row keeps what was removed.
    """
    row = get_or_404(CalendarDay.objects.select_for_update(), pk)
    if row.area_id:
        require(actor, Cap.CONFIGURE, row.area_id)
    elif actor is not None and not actor.is_superuser:  # national rows are on every officer's page
        raise Forbidden("全国节假日只能由系统管理员删除", "Only a system administrator removes national holidays")
    data = {"date": row.date.isoformat(), "name": row.name, "working": row.working}
    audit_record(actor=actor, action="calendar_day_delete", obj=row, area_code=row.area_id or "", data=data)
    row.delete()


def _open_new_version(qs: Any, effective_from: dt.date) -> None:
    """End the version in force so a new one can start; refuse anything that would rewrite the past.

    A new version starts today or later: steps already taken keep the deadlines and guards they
    were decided with (cases store their due dates), and a later version already planned must be
    withdrawn by hand first rather than silently cut.
    """
    if effective_from < timezone.localdate():
        raise invalid("effective_from", "新版本的生效日期不能早于今天", "a new version starts today or later")
    if qs.filter(effective_from__gte=effective_from).exists():
        raise Conflict(
            "该地区已有同日或更晚生效的版本", "A version starting on or after that day already exists", "overlap"
        )
    qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)).update(
        effective_to=effective_from - dt.timedelta(days=1)
    )


@transaction.atomic
def params_new_version(
    *, actor: User | None, area_code: str, effective_from: dt.date, values: ParamValues
) -> CaseParameters:
    """Parameters of an area from a date on: the version in force ends the day before."""
    require(actor, Cap.CONFIGURE, area_code)
    _open_new_version(CaseParameters.objects.filter(area_id=area_code), effective_from)
    return params_set(actor=actor, area_code=area_code, effective_from=effective_from, values=values)


@transaction.atomic
def obligation_new_version(
    *,
    actor: User | None,
    area_code: str,
    category: str,
    visits: int,
    period: str,
    phone_counts: bool,
    effective_from: dt.date,
) -> VisitObligation:
    """A visit rule of a household category from a date on: the rule in force ends the day before."""
    require(actor, Cap.CONFIGURE, area_code)
    _open_new_version(VisitObligation.objects.filter(area_id=area_code, category=category), effective_from)
    return obligation_set(
        actor=actor,
        area_code=area_code,
        category=category,
        visits=visits,
        period=period,
        phone_counts=phone_counts,
        effective_from=effective_from,
    )
