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

_SCHEME_FIELDS = (
    "name",
    "insurer",
    "policyholder",
    "period_start",
    "period_end",
    "basis",
    "basis_share",
    "basis_count",
    "insured_groups",
    "premium_per_person",
    "fee_rate",
    "carry_over",
    "deficit_topup",
    "income_line",
    "publicity_required",
    "publicity_days",
    "dup_amount_tolerance",
    "dup_date_slack_days",
    "dup_count_rejected",
)


def _groups(p: Problems, value: Any, field: str) -> list[str]:
    """Household groups as a list or comma-separated codes; unknown codes are a problem."""
    items = [str(g).strip() for g in (value if isinstance(value, list | tuple) else str(value).split(","))]
    items = [g for g in items if g]
    unknown = [g for g in items if g not in codes.GROUPS]
    if unknown:
        p.add(field, f"未知的人群类别：{'、'.join(unknown)}", f"Unknown groups: {', '.join(unknown)}")
    return items


def _clean_scheme(fields: dict[str, Any]) -> dict[str, Any]:
    p = Problems()
    out: dict[str, Any] = {
        "name": p.text(
            fields.get("name"), "name", max_len=2000, required=True, multiline=True, zh="方案名称", en="scheme name"
        ),
        "insurer": p.text(
            fields.get("insurer"), "insurer", max_len=2000, required=True, multiline=True, zh="承保公司", en="insurer"
        ),
        "policyholder": p.text(
            fields.get("policyholder"),
            "policyholder",
            max_len=2000,
            required=True,
            multiline=True,
            zh="投保人",
            en="policyholder",
        ),
        "period_start": p.date(fields.get("period_start"), "period_start", future=True),
        "period_end": p.date(fields.get("period_end"), "period_end", future=True),
        "basis": p.choice(fields.get("basis"), "basis", codes.BASES),
        "basis_share": p.rate(fields.get("basis_share") or "0", "basis_share"),
        "basis_count": p.whole(fields.get("basis_count") or 0, "basis_count", zh="人数", en="count"),
        "insured_groups": _groups(p, fields.get("insured_groups") or [], "insured_groups"),
        "premium_per_person": p.money(fields.get("premium_per_person"), "premium_per_person"),
        "fee_rate": p.rate(fields.get("fee_rate") or "0", "fee_rate"),
        "carry_over": bool(fields.get("carry_over", True)),
        "deficit_topup": bool(fields.get("deficit_topup", True)),
        "income_line": p.money(fields.get("income_line"), "income_line"),
        "publicity_required": bool(fields.get("publicity_required", False)),
        "publicity_days": p.whole(
            fields.get("publicity_days") or 5, "publicity_days", zh="公示天数", en="publicity days"
        ),
        "dup_amount_tolerance": p.money(fields.get("dup_amount_tolerance") or "0", "dup_amount_tolerance"),
        "dup_date_slack_days": p.whole(
            fields.get("dup_date_slack_days") or 0, "dup_date_slack_days", zh="日期容差天数", en="date slack in days"
        ),
        "dup_count_rejected": bool(fields.get("dup_count_rejected", False)),
    }
    start, end = out["period_start"], out["period_end"]
    if start and end and end < start:
        p.add("period_end", "保险期间止不能早于起始日期", "The period must end after it starts")
    if out["basis"] == "share" and not out["basis_share"]:
        p.add("basis_share", "按比例承保时请填写承保比例（如 0.10）", "Give the insured share, e.g. 0.10")
    if out["basis"] == "fixed" and not out["basis_count"]:
        p.add("basis_count", "按固定人数承保时请填写人数", "Give the fixed number of insured persons")
    p.raise_if_any()
    return out


def require_configure(actor: User, county_code: str) -> None:
    """Schemes are set up by the county administrator; whoever reports on the county may know they exist."""
    areas.refuse_unless(
        allowed=selectors.can_configure(actor, county_code),
        visible=selectors.reports_on_county(actor, county_code),
        zh="只有县级管理员可以配置防贫保险方案",
        en="Only the county administrator configures schemes",
    )


@transaction.atomic
def scheme_create(*, actor: User, county_code: str, year: int, fields: dict[str, Any]) -> Scheme:
    county = areas.area_by_code(county_code)
    if county is None or county.level != "county":
        raise invalid("county", "所选县不存在", "That county does not exist; choose a county code")
    require_configure(actor, county_code)
    values = _clean_scheme(fields)
    if values["period_start"].year != year:
        raise invalid("period_start", f"保险期间应从{year}年开始", f"The period must start in {year}")
    if Scheme.objects.filter(county__code=county_code, year=year).exists():
        raise Conflict(
            f"{county.name}{year}年的方案已存在，请修改现有方案",
            "This county already has a scheme for that year; edit it instead",
            "duplicate",
        )
    scheme = Scheme.objects.create(county=county, year=year, **values)
    audit_record(actor=actor, action="scheme_create", obj=scheme, area_code=county_code, data={"year": year})
    return scheme


@transaction.atomic
def scheme_update(*, actor: User, scheme_id: int, fields: dict[str, Any], reason: str = "") -> Scheme:
    scheme = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, scheme.county_id)
    merged = {f: getattr(scheme, f) for f in _SCHEME_FIELDS} | fields
    values = _clean_scheme(merged)
    for k, v in values.items():
        setattr(scheme, k, v)
    scheme._change_reason = reason
    scheme.save()
    audit_record(
        actor=actor,
        action="scheme_update",
        obj=scheme,
        area_code=scheme.county_id,
        reason=reason,
        data={"fields": sorted(fields)},
    )
    return scheme


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
