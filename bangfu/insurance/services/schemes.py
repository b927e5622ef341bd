"""Scheme and terms configuration (county admin): a scheme per county and year, terms as dated versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, invalid
from bangfu.core.inputs import Problems
from bangfu.core.services import audit_record
from bangfu.insurance import selectors
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.eligibility import Terms
from bangfu.insurance.domain.payout import Band, Tiers, tier_problems
from bangfu.insurance.models import CauseTerms, DocumentRule, Scheme, TermsBand

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class SchemeInput:
    """A scheme's settings, parsed at the edge (views: `insurance.inputs.scheme_input`; the API's schema)."""

    name: str
    insurer: str
    policyholder: str
    period_start: dt.date
    period_end: dt.date
    premium_per_person: Decimal
    income_line: Decimal
    basis: str = "groups"
    basis_share: Decimal = Decimal(0)
    basis_count: int = 0
    insured_groups: tuple[str, ...] = ()
    fee_rate: Decimal = Decimal(0)
    carry_over: bool = True
    deficit_topup: bool = True
    publicity_required: bool = False
    publicity_days: int = 5
    dup_amount_tolerance: Decimal = Decimal(0)
    dup_date_slack_days: int = 0
    dup_count_rejected: bool = False


def _check_scheme(s: SchemeInput) -> None:
    """The scheme's own rules: a period that ends after it starts, the share or count its basis needs,
    groups and a basis the product knows."""
    p = Problems()
    if s.basis not in codes.BASES:
        p.add("basis", f"请选择承保基础：{'、'.join(codes.BASES.values())}", "Choose the insured basis")
    unknown = [g for g in s.insured_groups if g not in codes.GROUPS]
    if unknown:
        p.add("insured_groups", f"未知的人群类别：{'、'.join(unknown)}", f"Unknown groups: {', '.join(unknown)}")
    if s.period_end < s.period_start:
        p.add("period_end", "保险期间止不能早于起始日期", "The period must end after it starts")
    if s.basis == "share" and not s.basis_share:
        p.add("basis_share", "按比例承保时请填写承保比例（如 0.10）", "Give the insured share, e.g. 0.10")
    if s.basis == "fixed" and not s.basis_count:
        p.add("basis_count", "按固定人数承保时请填写人数", "Give the fixed number of insured persons")
    p.raise_if_any()


def _values(s: SchemeInput) -> dict[str, Any]:
    return s.__dict__ | {"insured_groups": list(s.insured_groups)}


def require_configure(actor: User, county_code: str) -> None:
    """Schemes are set up by the county administrator; whoever reports on the county may know they exist."""
    areas.refuse_unless(
        allowed=selectors.can_configure(actor, county_code),
        visible=selectors.reports_on_county(actor, county_code),
        zh="只有县级管理员可以配置防贫保险方案",
        en="Only the county administrator configures schemes",
    )


@transaction.atomic
def scheme_create(*, actor: User, county_code: str, year: int, scheme: SchemeInput) -> Scheme:
    county = areas.area_by_code(county_code)
    if county is None or county.level != "county":
        raise invalid("county", "所选县不存在", "That county does not exist; choose a county code")
    require_configure(actor, county_code)
    _check_scheme(scheme)
    if scheme.period_start.year != year:
        raise invalid("period_start", f"保险期间应从{year}年开始", f"The period must start in {year}")
    if Scheme.objects.filter(county__code=county_code, year=year).exists():
        raise Conflict(
            f"{county.name}{year}年的方案已存在，请修改现有方案",
            "This county already has a scheme for that year; edit it instead",
            "duplicate",
        )
    row = Scheme.objects.create(county=county, year=year, **_values(scheme))
    audit_record(actor=actor, action="scheme_create", obj=row, area_code=county_code, data={"year": year})
    return row


@transaction.atomic
def scheme_update(*, actor: User, scheme_id: int, scheme: SchemeInput, reason: str = "") -> Scheme:
    row = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, row.county_id)
    _check_scheme(scheme)
    changed = sorted(k for k, v in _values(scheme).items() if getattr(row, k) != v)
    for k, v in _values(scheme).items():
        setattr(row, k, v)
    row._change_reason = reason
    row.save()
    audit_record(
        actor=actor, action="scheme_update", obj=row, area_code=row.county_id, reason=reason, data={"fields": changed}
    )
    return row


@transaction.atomic
def document_rule_set(
    *,
    actor: User,
    scheme_id: int,
    cause: str,
    effective_from: dt.date,
    survey: list[str] | tuple[str, ...] = (),
    approve: list[str] | tuple[str, ...] = (),
    pay: list[str] | tuple[str, ...] = (),
    reason: str = "",
) -> DocumentRule:
    """Add a version of the documents required before survey, approval and payment for a cause ("*": all);
    the version before it ends the day before, like the terms."""
    scheme = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, scheme.county_id)
    p = Problems()
    if cause != "*" and cause not in codes.CAUSES:
        p.add("cause", "风险类别无效", "Unknown cause")
    lists = {"survey": list(survey), "approve": list(approve), "pay": list(pay)}
    for step, kinds in lists.items():
        unknown = [k for k in kinds if k not in codes.DOCUMENT_KINDS]
        if unknown:
            p.add(step, f"未知的材料类型：{'、'.join(unknown)}", f"Unknown document kinds: {', '.join(unknown)}")
    if effective_from is None or not scheme.period_start <= effective_from <= scheme.period_end:
        p.add("effective_from", "生效日期须在保险期间内", "The date must fall within the scheme's period")
    p.raise_if_any()
    versions = DocumentRule.objects.select_for_update().filter(scheme=scheme, cause=cause)
    if versions.filter(effective_from__gte=effective_from).exists():
        raise Conflict(
            "已有同日或更晚生效的材料要求；新版本的生效日期须晚于现有版本",
            "A version from this date or later exists; start the new version after it",
            "document_rule_order",
        )
    versions.filter(effective_to__isnull=True).update(effective_to=effective_from - dt.timedelta(days=1))
    row = DocumentRule.objects.create(
        scheme=scheme,
        cause=cause,
        effective_from=effective_from,
        before_survey=list(dict.fromkeys(lists["survey"])),
        before_approve=list(dict.fromkeys(lists["approve"])),
        before_pay=list(dict.fromkeys(lists["pay"])),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="document_rule_set",
        obj=row,
        area_code=scheme.county_id,
        reason=reason,
        data={"scheme": scheme.pk, "cause": cause, "from": str(effective_from)} | lists,
    )
    return row


@dataclass(frozen=True)
class TermsInput:
    cause: str
    label: str
    effective_from: dt.date
    deductible: Decimal
    bands: tuple[tuple[Decimal, Decimal | None, Decimal], ...]  # (lower, upper, rate)
    per_claim_cap: Decimal | None = None
    annual_cap: Decimal | None = None
    annual_cap_per: str = "household"
    income_line: Decimal | None = None
    deducted_aid: tuple[str, ...] = ()
    thresholds: tuple[tuple[str, Decimal], ...] = ()


def _check_terms(t: TermsInput, scheme: Scheme) -> None:
    p = Problems()
    if not t.cause.strip() or not t.cause.replace("_", "").isalnum():
        p.add("cause", "请填写风险类别代码（字母或数字，如 schooling）", "Give a cause code such as schooling")
    if not scheme.period_start <= t.effective_from <= scheme.period_end:
        p.add("effective_from", "生效日期须在保险期间内", "The effective date must lie within the scheme period")
    tiers = Tiers(t.deductible, tuple(Band(*b) for b in t.bands), t.per_claim_cap, t.annual_cap)
    for field_name, zh, en in tier_problems(tiers):
        p.add(field_name, zh, en)
    for kind in t.deducted_aid:
        if kind not in codes.AID_KINDS:
            p.add("deducted_aid", f"未知的资助类型：{kind}", f"Unknown aid kind {kind}")
    for group, amount in t.thresholds:
        if group != "*" and group not in codes.GROUPS:
            p.add("thresholds", f"未知的人群类别：{group}", f"Unknown household group {group}")
        if amount < 0:
            p.add("thresholds", "支出条件不能为负数", "An expense condition cannot be negative")
    if t.annual_cap_per not in ("household", "person"):
        p.add("annual_cap_per", "年度封顶按户或按人计算", "The annual cap is per household or per person")
    p.raise_if_any()


@transaction.atomic
def terms_set(*, actor: User, scheme_id: int, terms: TermsInput, reason: str = "") -> CauseTerms:
    """Add a version of a cause's terms from `effective_from`; the version before it ends the day before."""
    scheme = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, scheme.county_id)
    _check_terms(terms, scheme)
    versions = CauseTerms.objects.select_for_update().filter(scheme=scheme, cause=terms.cause)
    if versions.filter(effective_from__gte=terms.effective_from).exists():
        raise Conflict(
            "已有同日或更晚生效的版本；新版本的生效日期须晚于现有版本",
            "A version from this date or later exists; start the new version after it",
            "terms_order",
        )
    versions.filter(effective_to__isnull=True).update(effective_to=terms.effective_from - dt.timedelta(days=1))
    row = CauseTerms.objects.create(
        scheme=scheme,
        cause=terms.cause,
        label=terms.label or codes.cause_label(terms.cause),
        effective_from=terms.effective_from,
        deductible=terms.deductible,
        per_claim_cap=terms.per_claim_cap,
        annual_cap=terms.annual_cap,
        annual_cap_per=terms.annual_cap_per,
        income_line=terms.income_line,
        deducted_aid=list(terms.deducted_aid),
        thresholds={g: str(a) for g, a in terms.thresholds},
        created_by=actor,
    )
    TermsBand.objects.bulk_create(
        TermsBand(terms=row, position=i, lower=lo, upper=up, rate=rate) for i, (lo, up, rate) in enumerate(terms.bands)
    )
    audit_record(
        actor=actor,
        action="terms_set",
        obj=row,
        area_code=scheme.county_id,
        reason=reason,
        data={"scheme": scheme.pk, "cause": terms.cause, "from": str(terms.effective_from)},
    )
    return row


def terms_domain(row: CauseTerms, scheme: Scheme) -> Terms:
    """The configuration rows as the pure domain's frozen dataclass."""
    bands = tuple(Band(b.lower, b.upper, b.rate) for b in row.bands.all())
    return Terms(
        tiers=Tiers(row.deductible, bands, row.per_claim_cap, row.annual_cap),
        income_line=row.income_line if row.income_line is not None else scheme.income_line,
        thresholds=tuple((g, Decimal(a)) for g, a in row.thresholds.items()),
        deducted_aid=frozenset(row.deducted_aid),
        insured_groups=frozenset(scheme.insured_groups),
    )
