"""Department feed types: their columns, their department, and how one row is checked and read.

Pure Python: a row arrives as column title → text (from CSV, Excel or the API) and leaves as a
`FeedRecord` or a list of problems. Matching to members and storing happen in services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from bangfu.core.domain import inputs
from bangfu.core.domain.idnumber import InvalidIdNumber, parse
from bangfu.core.domain.text import gettext_noop as _
from bangfu.core.errors import ValidationFailed

ID = "身份证号"
NAME = "姓名"  # in the template for the department's own check; matching is by ID number only
SINGLE_PATH_LIMIT = 50  # a delivery touching more households than this is re-screened set-wise, by the worker


@dataclass(frozen=True)
class FeedSpec:
    kind: str
    zh: str
    department: str  # matched against Membership.organisation of the uploading dept officer
    date_column: str
    amounts: tuple[str, ...] = ()  # money columns, all ≥ 0
    optional_amounts: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional_dates: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [ID, self.date_column, *self.amounts, *self.optional_amounts, *self.choices, *self.optional_dates]

    @property
    def required(self) -> list[str]:
        return [ID, self.date_column, *self.amounts, *self.choices]


SPECS: dict[str, FeedSpec] = {
    s.kind: s
    for s in [
        FeedSpec(
            "medical",
            _("医疗费用结算"),
            _("医保"),
            "结算日期",
            amounts=("医疗总费用", "基本医保报销", "大病保险报销", "医疗救助"),
        ),
        FeedSpec(
            "school",
            _("学生就学费用"),
            _("教育"),
            "缴费日期",
            amounts=("学费", "住宿费", "其他费用"),
            optional_amounts=("已获资助",),
        ),
        FeedSpec(
            "disaster",
            _("灾害损失"),
            _("应急"),
            "受灾日期",
            amounts=("损失金额",),
            choices={"灾害类型": ("洪涝", "干旱", "地震", "冰雹", "风灾", "火灾", "地质灾害", "其他")},
        ),
        FeedSpec(
            "assistance",
            _("低保特困"),
            _("民政"),
            "起始日期",
            choices={"救助类型": ("低保", "特困")},
            optional_dates=("终止日期",),
        ),
        FeedSpec(
            "disability", _("残疾人证"), _("残联"), "发证日期", choices={"残疾等级": ("一级", "二级", "三级", "四级")}
        ),
        FeedSpec("employment", _("就业变动"), _("人社"), "变动日期", choices={"变动类型": ("失业", "再就业")}),
        FeedSpec("death", _("死亡登记"), _("公安"), "死亡日期"),
    ]
}


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row, header is row 1
    column: str
    zh: str
    en: str


@dataclass(frozen=True)
class FeedRecord:
    """One checked row: who (ID number, kept only long enough to match), when, the amount screened."""

    row: int
    id_number: str
    event_date: dt.date
    amount: Decimal  # what the screening sums: out-of-pocket, school cost after aid, loss; else 0
    event: str  # "" or a sub-type: 失业, 低保终止, …
    data: tuple[tuple[str, str], ...]  # the other columns, as checked text (no ID number)


def _money(spec_col: str, raw: str, row: int, problems: list[Problem]) -> Decimal:
    """A bounded amount with at most two decimals (core.domain.inputs.amount)."""
    try:
        return inputs.amount(raw or "0", spec_col, zh=f"“{spec_col}”", en=repr(spec_col))
    except ValidationFailed as exc:
        problems += [Problem(row, spec_col, p.zh, p.en) for p in exc.problems]
        return Decimal(0)


def _date(col: str, raw: str, row: int, today: dt.date, problems: list[Problem]) -> dt.date | None:
    try:
        d = dt.date.fromisoformat(raw.strip()[:10].replace("/", "-"))
    except ValueError:
        problems.append(Problem(row, col, f"“{col}”应为日期，如 2024-03-01", f"{col!r} must be a date like 2024-03-01"))
        return None
    if d > today:
        problems.append(Problem(row, col, f"“{col}”不能晚于今天", f"{col!r} cannot be in the future"))
        return None
    return d


def check_row(spec: FeedSpec, row: int, cells: dict[str, str], today: dt.date) -> FeedRecord | list[Problem]:
    problems: list[Problem] = []
    try:
        id_number = parse(cells.get(ID, ""), today=today).value
    except InvalidIdNumber as exc:
        problems.append(Problem(row, ID, exc.zh, exc.en))
        id_number = ""
    when = _date(spec.date_column, cells.get(spec.date_column, ""), row, today, problems)
    money = {c: _money(c, cells.get(c, ""), row, problems) for c in (*spec.amounts, *spec.optional_amounts)}
    for col, allowed in spec.choices.items():
        if cells.get(col, "").strip() not in allowed:
            problems.append(Problem(row, col, f"“{col}”应为：{'、'.join(allowed)}", f"{col!r} must be one of the list"))
    ends = {c: _date(c, cells[c], row, today, problems) for c in spec.optional_dates if cells.get(c, "").strip()}
    amount, event = _amount_and_event(spec, money, cells, ends, row, problems)
    if problems or when is None:
        return problems
    data = tuple(
        (c, str(money[c]) if c in money else cells.get(c, "").strip())
        for c in spec.columns
        if c not in (ID, spec.date_column)
    )
    return FeedRecord(row, id_number, max([when, *[d for d in ends.values() if d]]), amount, event, data)


def _amount_and_event(
    spec: FeedSpec,
    money: dict[str, Decimal],
    cells: dict[str, str],
    ends: dict[str, dt.date | None],
    row: int,
    problems: list[Problem],
) -> tuple[Decimal, str]:
    if spec.kind == "medical":
        paid = money["基本医保报销"] + money["大病保险报销"] + money["医疗救助"]
        if paid > money["医疗总费用"]:
            problems.append(
                Problem(
                    row,
                    "医疗总费用",
                    "三项报销之和超过了医疗总费用，请核对",
                    "the three reimbursements exceed the total cost; check the row",
                )
            )
        return max(Decimal(0), money["医疗总费用"] - paid), ""  # what is left after the three layers
    if spec.kind == "school":
        return max(Decimal(0), money["学费"] + money["住宿费"] + money["其他费用"] - money["已获资助"]), ""
    if spec.kind == "disaster":
        return money["损失金额"], cells.get("灾害类型", "").strip()
    if spec.kind == "assistance":
        kind = cells.get("救助类型", "").strip()
        return Decimal(0), f"{kind}终止" if any(ends.values()) else f"{kind}开始"
    if spec.kind == "employment":
        return Decimal(0), cells.get("变动类型", "").strip()
    return Decimal(0), spec.kind
