"""The standard Excel reports: rows gathered through each module's scoped selectors.

Every report is built for a place the user may report on (`selectors.report_place`), from selectors
that only return what the user may see. Household reports show the head's ID number masked unless
the role has VIEW_FULL_ID; each full number shown is logged by registry.member_full_id.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.analytics.selectors import Place, monitored_roster
from bangfu.casework import selectors as casework
from bangfu.employment import selectors as employment
from bangfu.insurance import selectors as insurance
from bangfu.insurance.domain import codes as insurance_codes
from bangfu.insurance.domain.workflow import status_label as insurance_status_label
from bangfu.market import selectors as market
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User

Rows = list[Sequence[Any]]


@dataclass(frozen=True)
class Report:
    key: str
    title: str  # the workbook stays a Chinese document; the page shows the title in the reader's language
    en: str
    columns: list[str]
    build: Callable[[User, Place, int], Rows]
    text_columns: frozenset[str] = field(default_factory=lambda: frozenset({"户编号", "户主身份证号"}))

    @property
    def zh(self) -> str:  # for the `tr` filter
        return self.title


def _prefix(place: Place) -> str:
    return place.prefix


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def heads(user: User, household_ids: set[int], purpose: str) -> dict[int, tuple[str, str]]:
    """household id → (head's name, head's ID as the user may see it), in two queries."""
    full = has_cap(user, Cap.VIEW_FULL_ID)
    qs = registry.households_visible(user).filter(pk__in=household_ids).prefetch_related(registry.prefetch_members())
    out: dict[int, tuple[str, str]] = {}
    for h in qs:
        head = next((m for m in h.members.all() if m.relation == "户主"), None)
        shown = ""
        if head is not None:
            head.household = h
            shown = registry.member_full_id(user, head, purpose=purpose) if full else head.masked
        out[h.pk] = (h.head_name, shown)
    return out


def _monitored(user: User, place: Place, year: int) -> Rows:
    return [
        [r.number, r.village, r.head, r.head_id, r.size, r.monitoring_type, _iso(r.since), r.risks,
         _iso(r.eliminated_on), r.per_capita]
        for r in monitored_roster(user, place)
    ]  # fmt: skip


def _measures(user: User, place: Place, year: int) -> Rows:
    measures = list(casework.measures_visible(user, _prefix(place)).order_by("case__village_id", "case_id", "pk"))
    who = heads(user, {m.case.household_id for m in measures if m.case.household_id}, "帮扶措施台账")
    rows: Rows = []
    for m in measures:
        h = m.case.household  # a case opened from a self-report may have no registered household yet
        name, shown = who.get(h.pk, (h.head_name, "")) if h is not None else (m.case.reporter_name, "")
        rows.append(
            [h.number if h else "", m.case.village.name, name, shown, m.category_label, m.title, m.responsible,
             m.responsible_unit, _iso(m.starts_on), _iso(m.ends_on), m.amount, m.get_status_display()]
        )  # fmt: skip
    return rows


def _eliminated(user: User, place: Place, year: int) -> Rows:
    qs = (
        registry.household_search(user, registry.HouseholdFilter(village=_prefix(place)))
        .filter(risk_eliminated_on__year=year)
        .select_related("village")
        .order_by("village_id", "number")
    )
    households = list(qs)
    who = heads(user, {h.pk for h in households}, "风险消除名单")
    return [
        [h.number, h.village.name, who.get(h.pk, (h.head_name, ""))[0], who.get(h.pk, ("", ""))[1], h.size,
         h.monitoring_type, _iso(h.monitoring_since), "、".join(h.risk_codes), _iso(h.risk_eliminated_on)]
        for h in households
    ]  # fmt: skip


def _claims(user: User, place: Place, year: int) -> Rows:
    """防贫保理赔台账: each claim of the year's schemes named by its household (head, ID by the roster's
    rule for the role: `heads`), village and township, with cause and status as words, never codes (the
    workbook is a Chinese document, in Chinese whatever the reader's language)."""
    prefix = _prefix(place)
    towns = insurance.township_names(user)
    kept = [
        (scheme, r)
        for scheme in insurance.schemes_visible(user).filter(year=year).order_by("county_id")
        for r in insurance.report_rows(user, scheme)
        if r.village.startswith(prefix)
    ]
    who = heads(user, {r.household_id for _s, r in kept}, "防贫保理赔台账")
    return [
        [r.pk, scheme.name, r.household_number, who.get(r.household_id, (r.head_name, ""))[0],
         who.get(r.household_id, ("", ""))[1], r.village_name, towns.get(r.township, ""),
         insurance_codes.cause_label(r.cause), insurance_status_label(r.status),
         _iso(r.applied_on), r.payout, _iso(r.paid_on), r.paid]
        for scheme, r in kept
    ]  # fmt: skip


def _relocation(user: User, place: Place, year: int) -> Rows:
    on = min(dt.date(year, 12, 31), timezone.localdate())
    prefix = _prefix(place)
    rows: Rows = []
    for site in employment.sites_overview(user, on):
        kept = [r for r in site.rows if r.household.village_id.startswith(prefix)]
        who = heads(user, {r.household.pk for r in kept}, "搬迁就业台账")
        for r in kept:
            name, shown = who.get(r.household.pk, (r.household.head_name, ""))
            v = r.verdict
            labour = "是" if v.has_labour else "否"
            met = ("是" if v.met else "否") if v.has_labour else "—"
            rows.append([site.site.name, r.household.number, name, shown, labour, v.employed_members, met])
    return rows


def _enterprises(user: User, place: Place, year: int) -> Rows:
    prefix = _prefix(place)
    sales = market.sales_export(user, year)
    by_enterprise: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in sales.rows:
        by_enterprise[row[1]][row[3]] += row[10]
        by_enterprise[row[1]]["合计"] += row[10]
    rows: Rows = []
    for e in market.enterprise_list(user):
        if not str(e.area_id).startswith(prefix):
            continue
        s = by_enterprise.get(e.name, {})
        rows.append(
            [e.name, e.area.name, e.get_kind_display(), getattr(e, "n_products", 0), getattr(e, "n_households", 0),
             s.get("合计", Decimal("0.00"))]
            + [s.get(label, Decimal("0.00")) for label in CHANNELS]
        )  # fmt: skip
    return rows


CHANNELS = ["专柜门店", "展销会", "网店", "直播带货", "机关单位采购"]
HOUSEHOLD = ["户编号", "村", "户主", "户主身份证号"]
REPORTS: dict[str, Report] = {
    r.key: r
    for r in (
        Report(
            "monitored",
            "监测对象花名册",
            "Roster of monitored households",
            [
                "户编号",
                "村",
                "户主",
                "户主身份证号",
                "家庭人口",
                "监测对象类型",
                "纳入监测日期",
                "风险类型",
                "风险消除日期",
                "上年人均纯收入(元)",
            ],
            _monitored,
        ),
        Report(
            "measures",
            "帮扶措施台账",
            "Assistance measures ledger",
            [*HOUSEHOLD, "类别", "措施", "帮扶责任人", "责任单位", "开始日期", "结束日期", "金额(元)", "状态"],
            _measures,
        ),
        Report(
            "eliminated",
            "风险消除名单",
            "Households whose risk was eliminated",
            [*HOUSEHOLD, "家庭人口", "监测对象类型", "纳入监测日期", "风险类型", "风险消除日期"],
            _eliminated,
        ),
        Report(
            "claims",
            "防贫保理赔台账",
            "claims ledger",
            [
                "理赔编号",
                "方案",
                "户编号",
                "户主",
                "户主身份证号",
                "村",
                "乡镇",
                "致贫风险",
                "状态",
                "申请日期",
                "核定赔款(元)",
                "支付日期",
                "支付金额(元)",
            ],
            _claims,
        ),
        Report(
            "relocation",
            "易地搬迁就业台账",
            "Employment of relocated households",
            ["安置点", "户编号", "户主", "户主身份证号", "有劳动力", "就业人数", "已实现就业"],
            _relocation,
        ),
        Report(
            "enterprises",
            "经营主体与销售汇总",
            "Enterprises and sales summary",
            ["经营主体", "所在地", "类型", "产品数", "联农带农户数", "销售额(元)", *CHANNELS],
            _enterprises,
            frozenset(),
        ),
    )
}
