"""Excel pages of the registry: the import template, the import (all rows or none) and the list export.

The export takes the same filter as the household list page and the API, read through the same
scoped selectors; ID numbers are masked unless the role may see them and the user asks, and then
every full number written is logged like a view on screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas.selectors import require_somewhere
from bangfu.core import services as jobs
from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.replicas import replica_ok
from bangfu.core.selectors import jobs_of
from bangfu.core.views import form_post, uploaded
from bangfu.registry import importer, selectors
from bangfu.registry.domain.validation import MEMBER_STORED
from bangfu.registry.views import household_filter

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.core.models import Job
    from bangfu.registry.models import Household, Member

EXPORT_JOB_KIND = "registry_export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HOUSEHOLD_COLUMNS = [
    "户编号", "村代码", "村名称", "村民小组代码", "网格编号", "网格名称", "地址", "联系电话", "户主", "家庭人口",
    "脱贫户", "脱贫年度", "低保户", "特困供养", "易地搬迁户", "整户无劳动力", "监测对象类型", "户状态",
]  # fmt: skip
EXPORT_MEMBER_EXTRA = ["出生日期", "性别", "在册"]


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def household_import_template(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require_somewhere(user, Cap.IMPORT_REGISTRY)
    return _xlsx(importer.template_workbook(user), "household-import-template.xlsx")


@login_required
@writes(Cap.IMPORT_REGISTRY)
def household_import(request: AuthedHttpRequest) -> HttpResponse:
    """GET: the upload form. POST: import; on any problem nothing is stored and the report is shown."""
    user = request.user
    require_somewhere(user, Cap.IMPORT_REGISTRY)
    return form_post(
        request,
        template="registry/import.html",
        context=lambda: {"jobs": jobs_of(user, importer.JOB_KIND)[:5]},
        run=lambda _v: importer.household_import_start(actor=user, **uploaded(request)),
        done=_imported_done,
        then=_imported_then,
    )


def _imported_done(result: importer.ImportResult | Job) -> str:
    if not isinstance(result, importer.ImportResult):  # a large file: the worker imports it
        return ""
    return imported_message(result.households, result.members, result.batch_id)


def _imported_then(result: importer.ImportResult | Job) -> HttpResponse:
    if not isinstance(result, importer.ImportResult):
        return redirect("core:job_detail", pk=result.pk)
    return redirect(batch_url(result.batch_id))


def batch_url(batch_id: int) -> str:
    """The household list showing only what one import created."""
    return f"{reverse('registry:household_list')}?batch={batch_id}"


def imported_message(households: int, members: int, batch_id: int) -> str:
    return _("已导入%(households)s户、%(members)s人（批次 %(batch)s）") % {
        "households": households,
        "members": members,
        "batch": batch_id,
    }


# --- export -----------------------------------------------------------------------------------


def _filter(request: AuthedHttpRequest) -> selectors.HouseholdFilter:
    """The household list page's link (area, village, grid, flag, type, batch, a search that is no ID
    number), read the same way."""
    return household_filter(request.user, request.GET, request.GET.get("q", "").strip())


def _yes(v: bool) -> str:
    return "是" if v else "否"


def _household_row(h: Household) -> list[Any]:
    return [
        h.number, h.village_id, h.village.name, h.group_id or "", h.grid.code if h.grid else "",
        h.grid.name if h.grid else "", h.address, h.phone, h.head_name, h.size, _yes(h.poverty_exited),
        h.exit_year or "", _yes(h.dibao), _yes(h.tekun), _yes(h.relocated), _yes(h.no_labour), h.monitoring_type,
        h.status,
    ]  # fmt: skip


def _member_row(user: User, h: Household, m: Member, full_id: bool) -> list[Any]:
    m.household = h  # fetched in scope already
    shown = selectors.member_full_id(user, m, purpose="export") if full_id else m.id_masked
    values = {k: getattr(m, k) for k in MEMBER_STORED}
    values |= {"household": h.number, "id_number": shown}
    row = [values.get(key, "") for _, key in importer.MEMBER_COLUMNS]
    born = m.birth_date.isoformat() if full_id else str(m.birth_date.year)  # the date only with the full number
    return [*row, born, "男" if m.sex == "M" else "女", _yes(m.active)]


def _export_rows(user: User, households: Iterator[Household], full_id: bool) -> tuple[list[Sequence[Any]], ...]:
    h_rows: list[Sequence[Any]] = []
    m_rows: list[Sequence[Any]] = []
    for h in households:
        h_rows.append(_household_row(h))
        m_rows += [_member_row(user, h, m, full_id) for m in h.members.all()]
    return h_rows, m_rows


@login_required
@replica_ok
def household_export(request: AuthedHttpRequest) -> HttpResponse:
    """The current filtered list with members; ?full_id=1 shows full ID numbers to roles allowed (logged).

    More than settings.BANGFU_BACKGROUND_ROWS households: built by `bangfu worker`, downloaded from the job page."""
    user = request.user
    require_somewhere(user, Cap.VIEW_PEOPLE)
    full_id = request.GET.get("full_id") == "1"
    if full_id and not has_cap(user, Cap.VIEW_FULL_ID):
        full_id = False  # a role that may not see them gets the masked file, as everyone else
    f = _filter(request)
    if selectors.household_search(user, f).count() > settings.BANGFU_BACKGROUND_ROWS:
        job = export_start(user, f, full_id)
        return redirect("core:job_detail", pk=job.pk)
    return _xlsx(export_workbook(user, f, full_id), export_name())


def export_name() -> str:
    return f"households-{timezone.localdate():%Y%m%d}.xlsx"


def export_start(user: User, f: selectors.HouseholdFilter, full_id: bool) -> Job:
    from bangfu.registry.tasks import household_export_job  # tasks import this module

    job = jobs.job_create(
        owner=user,
        kind=EXPORT_JOB_KIND,
        title="导出农户",
        title_en="Export households",
        params={"filter": dataclasses.asdict(f), "full_id": full_id},
    )
    transaction.on_commit(lambda: household_export_job.enqueue(str(job.pk)))
    return job


def export_workbook(user: User, f: selectors.HouseholdFilter, full_id: bool) -> bytes:
    """The households matching `f` in the user's scope, with their members (one sheet each)."""
    households = (
        selectors.household_search(user, f)
        .select_related("village", "grid")
        .prefetch_related(selectors.prefetch_members())
        .order_by("number")
        .iterator(chunk_size=2000)
    )
    h_rows, m_rows = _export_rows(user, households, full_id)
    born = "出生日期" if full_id else "出生年份"
    member_columns = [t for t, _ in importer.MEMBER_COLUMNS] + [born, *EXPORT_MEMBER_EXTRA[1:]]
    return write_workbook([
        SheetSpec(importer.HOUSEHOLD_SHEET, EXPORT_HOUSEHOLD_COLUMNS, rows=h_rows,
                  text_columns={"户编号", "村代码", "村民小组代码", "网格编号", "联系电话"}),
        SheetSpec(importer.MEMBER_SHEET, member_columns, rows=m_rows, text_columns={"户编号", "身份证号", "电话"}),
    ])  # fmt: skip
