"""The payroll page of a workshop: one month's sheet of every worker, entered as one grid (one form,
one save) or by Excel (the template with the month's workers pre-filled, then the upload). Either way
every row is saved or none (`services.payroll_sheet_record`), and each problem names its row and worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import inputs
from bangfu.core.errors import FieldProblem, ValidationFailed, invalid
from bangfu.core.excel import upload_bytes
from bangfu.core.views import XLSX, form_post
from bangfu.employment import payroll_excel, selectors, services
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.selectors import PayrollLine
from bangfu.employment.services.payroll_sheet import row_problem, who

GRID_FIELDS = ("scheduled_days", "days_worked", "pieces", "reason")


@dataclass(frozen=True)
class GridRow:
    """One line of the grid: its number (as problems name it) and its inputs' names."""

    n: int
    line: PayrollLine
    rule: str

    def name(self, field: str) -> str:
        return f"{field}-{self.line.contract.pk}"

    @property
    def names(self) -> dict[str, str]:
        return {f: self.name(f) for f in GRID_FIELDS}


def _month(user: Any, pk: int, raw: str | None) -> dt.date:
    """The month asked for, else the latest with payroll (not an empty month), else last month."""
    if raw:
        try:
            return inputs.month(raw)
        except ValidationFailed:
            pass
    latest = selectors.latest_payroll_month(user, pk)
    return latest or add_months(month_start(timezone.localdate()), -1)


def _rows(user: Any, pk: int, month: dt.date) -> list[GridRow]:
    w = selectors.workshop_get(user, pk)
    names = selectors.wage_rule_names(w)
    lines = selectors.payroll_sheet(user, pk, month)
    return [
        GridRow(n, line, names.get(line.contract.wage_code, line.contract.wage_code)) for n, line in enumerate(lines, 1)
    ]


def _context(request: AuthedHttpRequest, pk: int, month: dt.date) -> dict[str, Any]:
    user: Any = request.user
    rows = _rows(user, pk, month)
    return {
        "w": selectors.workshop_get(user, pk),
        "rows": rows,
        "month": month,
        "entered": sum(1 for r in rows if r.line.payslip),
        "total": sum((r.line.payslip.gross for r in rows if r.line.payslip), start=Decimal(0)),
        "prev_month": f"{add_months(month, -1):%Y-%m}",
        "next_month": f"{add_months(month, 1):%Y-%m}",
        "latest": selectors.latest_payroll_month(user, pk),
    }


def _grid_entries(post: dict[str, str], rows: list[GridRow]) -> tuple[list[services.PayEntry], list[FieldProblem]]:
    """The rows typed in, parsed at the edge; a row with neither days worked nor pieces is left out."""
    entries: list[services.PayEntry] = []
    problems: list[FieldProblem] = []
    for r in rows:
        raw = {f: post.get(r.name(f), "") for f in GRID_FIELDS}
        if not raw["days_worked"] and not raw["pieces"]:
            continue
        try:
            with inputs.Problems() as p:
                scheduled = p.whole(raw["scheduled_days"], "scheduled_days", zh="应出勤天数", en="scheduled days")
                worked = p.whole(raw["days_worked"], "days_worked", zh="实际出勤天数", en="days worked")
                pieces = p.whole(raw["pieces"] or "0", "pieces", zh="计件数", en="pieces")
        except ValidationFailed as exc:
            problems += [row_problem(r.n, who(r.line.contract), q.field, q.zh, q.en) for q in exc.problems]
            continue
        entry = services.PayEntry(r.line.contract.pk, r.n, scheduled or 0, worked or 0, pieces or 0, raw["reason"])
        entries.append(entry)
    return entries, problems


def _saved(result: services.SheetResult) -> str:
    return _("%(month)s工资已保存：新录入%(new)d人，更正%(fixed)d人，未改动%(same)d人；本次应发合计%(gross)s元") % {
        "month": f"{result.month:%Y-%m}",
        "new": result.entered,
        "fixed": result.corrected,
        "same": result.unchanged,
        "gross": f"{result.gross:,.2f}",
    }


def _back(pk: int, month: dt.date) -> HttpResponse:
    return redirect(reverse("employment:payroll", args=[pk]) + f"?month={month:%Y-%m}#grid")


def _on_page(
    request: AuthedHttpRequest,
    pk: int,
    month: dt.date,
    *,
    run: Callable[[dict[str, str]], services.SheetResult],
    form: str,
    keep: str,
    fields: list[str] | None = None,
) -> HttpResponse:
    """Either form of the page (the grid, the upload): saved, the month's grid again with the counts;
    refused, the page again with the problems beside the form that was sent (`form`)."""
    return form_post(
        request,
        template="employment/payroll.html",
        context=lambda: _context(request, pk, month),
        run=run,
        done=_saved,
        then=lambda result: _back(pk, result.month),
        fields=fields,
        keep_as=keep,
        form=form,
    )


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def payroll(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """GET: the month's grid. POST: save the grid, every row or none."""
    user: Any = request.user
    month = _month(user, pk, request.POST.get("month") or request.GET.get("month"))

    def run(values: dict[str, str]) -> services.SheetResult:
        entries, problems = _grid_entries(values, _rows(user, pk, month))
        w = selectors.workshop_get(user, pk)
        return services.payroll_sheet_record(actor=user, workshop=w, month=month, entries=entries, refused=problems)

    return _on_page(request, pk, month, run=run, form="grid", keep="typed")


@login_required
def payroll_template(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The month's workbook: every worker of the month on a row, with what is already entered."""
    user: Any = request.user
    month = _month(user, pk, request.GET.get("month"))
    w = selectors.workshop_get(user, pk)
    data = payroll_excel.template_workbook(
        selectors.payroll_sheet(user, pk, month), month, selectors.wage_rule_names(w)
    )
    response = HttpResponse(data, content_type=XLSX)
    name = quote(f"{w.name}-工资表-{month:%Y-%m}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def payroll_import(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The filled workbook: every row or none, problems by spreadsheet row beside the upload form."""
    user: Any = request.user
    month = _month(user, pk, request.POST.get("month") or request.GET.get("month"))
    if request.method != "POST":
        return redirect(reverse("employment:payroll", args=[pk]) + f"?month={month:%Y-%m}")

    def run(_values: dict[str, str]) -> services.SheetResult:
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid("file", "请选择填好的工资表文件", "Choose the filled payroll file")
        lines = selectors.payroll_sheet(user, pk, month)
        entries, problems = payroll_excel.read_entries(upload_bytes(upload), upload.name or "", month, lines)
        w = selectors.workshop_get(user, pk)
        return services.payroll_sheet_record(actor=user, workshop=w, month=month, entries=entries, refused=problems)

    return _on_page(request, pk, month, run=run, form="import", keep="upload", fields=["month"])
