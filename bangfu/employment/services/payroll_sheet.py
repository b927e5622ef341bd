"""A workshop's payroll for one month entered at once: the grid of the payroll page or an Excel file.

All rows or none (P7 of the UX review): payroll is money paid to 121 people and flowing into their
households' income, so a sheet half saved would leave the office guessing which workers were paid.
Every row is checked and computed exactly as `payslip_record` does (the same `payslip_record`), the problems
of all rows come back together, each naming its row and its worker, and then nothing is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from bangfu.core.domain.money import ZERO
from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed, invalid
from bangfu.core.selectors import get_or_404
from bangfu.employment import selectors
from bangfu.employment.domain.months import month_start
from bangfu.employment.models import Contract, Payslip, Workshop
from bangfu.employment.services.payroll import payslip_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class PayEntry:
    """One row as typed, parsed at the edge: `row` is where the person sees it (the grid's line number
    or the spreadsheet's row), so that every problem can name it."""

    contract_id: int
    row: int
    scheduled_days: int
    days_worked: int
    pieces: int = 0
    reason: str = ""

    def figures(self) -> dict[str, Any]:
        """What `payslip_record` takes of the row."""
        return {f: getattr(self, f) for f in ("scheduled_days", "days_worked", "pieces", "reason")}


@dataclass(frozen=True)
class SheetResult:
    month: dt.date
    entered: int  # new payslips
    corrected: int
    unchanged: int  # the same figures again
    gross: Decimal  # of the payslips entered or corrected


def who(contract: Contract) -> str:
    """The worker as the sheet tells them apart: the name and the masked ID (two 俄底么么 differ there)."""
    return f"{contract.member.name}（{contract.member.masked}）"


def row_problem(row: int, name: str, field: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, f"第{row}行 {name}：{zh}", f"Row {row}, {name}: {en}", row)


def _problems_of(exc: ApplicationError, row: int, name: str) -> list[FieldProblem]:
    if exc.problems:
        return [row_problem(row, name, p.field, p.zh, p.en) for p in exc.problems]
    return [row_problem(row, name, "", exc.zh, exc.en)]


@transaction.atomic
def payroll_sheet_record(
    *,
    actor: User,
    workshop: Workshop,
    month: dt.date,
    entries: Sequence[PayEntry],
    refused: Sequence[FieldProblem] = (),
) -> SheetResult:
    """Enter (or correct) the month's payslips of every entry, or none of them.

    `refused` are the problems the caller met reading the input (a row whose days are not a number):
    the other rows are still checked, so the person sees every problem at once, and nothing is kept."""
    w = get_or_404(selectors.workshops_visible(actor, edit=True), workshop.pk)
    first = month_start(month)
    if not entries and not refused:
        raise invalid("rows", "请至少填写一名职工的实际出勤天数", "Fill in the days worked of at least one worker")
    contracts = {c.pk: c for c in selectors.contracts_visible(actor, edit=True).filter(workshop=w)}
    problems = list(refused)
    counts = {"new": 0, "corrected": 0}
    gross = ZERO
    seen: dict[int, int] = {}
    for e in entries:
        c = contracts.get(e.contract_id)
        if c is None:
            problems.append(
                row_problem(e.row, "", "contract", "不是本车间的劳动合同", "not a labour contract of this workshop")
            )
            continue
        if e.contract_id in seen:
            problems.append(
                row_problem(
                    e.row,
                    who(c),
                    "contract",
                    f"与第{seen[e.contract_id]}行重复",
                    f"already on row {seen[e.contract_id]}",
                )
            )
            continue
        seen[e.contract_id] = e.row
        before = Payslip.objects.filter(contract=c, month=first).values_list("gross", "recorded_at").first()
        try:
            slip = payslip_record(actor=actor, contract=c, month=first, **e.figures())
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            problems += _problems_of(exc, e.row, who(c))
            continue
        if before is None or before != (slip.gross, slip.recorded_at):  # entered, or corrected
            counts["corrected" if before else "new"] += 1
            gross += slip.gross
    if problems:
        rows = len({p.row for p in problems})
        raise ValidationFailed(  # raised inside the transaction: every row written above is undone
            sorted(problems, key=lambda p: p.row or 0),
            zh=f"{rows}行有误，{first:%Y-%m}的工资均未保存；请按各行提示修改后重新保存",
            en=f"{rows} rows have problems, so no payroll for {first:%Y-%m} was saved; "
            "correct them as shown beside each row and save again",
        )
    unchanged = len(seen) - counts["new"] - counts["corrected"]
    return SheetResult(first, counts["new"], counts["corrected"], unchanged, gross)
