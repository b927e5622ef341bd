"""Enterprises, their counterpart-support and household links, yearly figures, and parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, invalid
from bangfu.core.services import audit_record
from bangfu.market.domain import codes
from bangfu.market.models import CounterpartLink, Enterprise, EnterpriseYear, HouseholdLink, MarketParameter
from bangfu.market.services._guard import credit_code as parse_credit_code
from bangfu.market.services._guard import positive, require_edit, require_officer, text
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def enterprise_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    credit_code: str,
    area_code: str,
    leader: str,
    phone: str = "",
    address: str = "",
    description: str = "",
) -> Enterprise:
    """Register an enterprise or co-op (county or township officer of its area)."""
    require_officer(actor, area_code)
    if areas.area_by_code(area_code) is None:
        raise invalid("area_code", "所在地区划代码不存在", "the area code does not exist")
    _check_kind(kind)
    code = parse_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict(f"统一社会信用代码{code}已登记", f"credit code {code} is already registered", "duplicate")
    e = Enterprise.objects.create(
        name=text("name", name, "名称"),
        kind=kind,
        credit_code=code,
        area_id=area_code,
        leader=text("leader", leader, "负责人"),
        phone=phone,
        address=address,
        description=description,
    )
    audit_record(actor=actor, action="enterprise_create", obj=e, area_code=area_code)
    return e


@transaction.atomic
def counterpart_link_add(
    *,
    actor: User | None,
    enterprise: Enterprise,
    partner: str,
    partner_province: str,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    support: str = "",
) -> CounterpartLink:
    require_officer(actor, enterprise.area_id)
    if end is not None and end < start:
        raise invalid("end", "结束日期不能早于开始日期", "end is before start")
    link = CounterpartLink.objects.create(
        enterprise=enterprise,
        partner=text("partner", partner, "帮扶方"),
        partner_province=text("partner_province", partner_province, "帮扶省份"),
        kind=text("kind", kind, "帮扶形式"),
        start=start,
        end=end,
        support=support,
    )
    audit_record(actor=actor, action="counterpart_link_add", obj=link, area_code=enterprise.area_id)
    return link


@transaction.atomic
def household_link_create(
    *,
    actor: User | None,
    enterprise: Enterprise,
    household_id: int,
    kind: str,
    start: dt.date,
    note: str = "",
) -> HouseholdLink:
    """Record that the enterprise employs, buys from or pays dividends to a household (officer step,
    because it needs the registry: the officer must see the household)."""
    require_officer(actor, enterprise.area_id)
    if actor is not None:
        registry.household_get(actor, household_id)  # 404 when the household is outside the officer's areas
    if kind not in codes.LinkKind.__members__.values():
        raise invalid(
            "kind",
            "联结方式无效：务工就业、收购农产品或入股分红",
            "kind must be employment, produce_purchase or dividend",
        )
    if HouseholdLink.objects.filter(
        enterprise=enterprise, household_id=household_id, kind=kind, end__isnull=True
    ).exists():
        raise Conflict("该户已有相同方式的有效联结", "The household already has an open link of this kind", "duplicate")
    link = HouseholdLink.objects.create(
        enterprise=enterprise, household_id=household_id, kind=kind, start=start, note=note
    )
    audit_record(
        actor=actor,
        action="household_link_create",
        obj=link,
        area_code=enterprise.area_id,
        data={"household": household_id, "kind": kind},
    )
    return link


@transaction.atomic
def enterprise_year_set(
    *,
    actor: User | None,
    enterprise: Enterprise,
    year: int,
    output_value: Decimal,
    revenue: Decimal,
    profit: Decimal,
) -> EnterpriseYear:
    """Report (or correct) the yearly output value, revenue and profit; profit may be negative."""
    require_edit(actor, enterprise)
    positive("output_value", output_value, "产值")
    if revenue < 0:
        raise invalid("revenue", "营业收入不能为负数", "revenue cannot be negative")
    row, created = EnterpriseYear.objects.update_or_create(
        enterprise=enterprise,
        year=year,
        defaults={"output_value": output_value, "revenue": revenue, "profit": profit, "reported_by": actor},
    )
    audit_record(
        actor=actor,
        action="enterprise_year_set",
        obj=row,
        area_code=enterprise.area_id,
        data={"year": year, "output_value": str(output_value), "profit": str(profit), "new": created},
    )
    return row


@transaction.atomic
def parameter_set(
    *, actor: User | None, area_code: str, key: codes.ParamKey, value: Decimal, effective_from: dt.date
) -> MarketParameter:
    """Configure a parameter for an area from a date on; earlier rows stay for the history."""
    require_officer(actor, area_code)
    if key is codes.ParamKey.PROCUREMENT_SHARE and not Decimal(0) < value <= Decimal(1):
        raise invalid(
            "value", "预留比例应在0到1之间，例如10%填0.10", "the share is a fraction between 0 and 1, e.g. 0.10 for 10%"
        )
    if key is codes.ParamKey.CERT_VALIDITY_MONTHS and (value != value.to_integral_value() or value <= 0):
        raise invalid("value", "有效期应为正整数月数", "validity is a whole number of months")
    row, _ = MarketParameter.objects.update_or_create(
        area_id=area_code, key=key.value, effective_from=effective_from, defaults={"value": value}
    )
    audit_record(
        actor=actor,
        action="parameter_set",
        obj=row,
        area_code=area_code,
        data={"key": key.value, "value": str(value), "from": str(effective_from)},
    )
    return row


@transaction.atomic
def enterprise_update(
    *,
    actor: User | None,
    enterprise: Enterprise,
    name: str,
    kind: str,
    leader: str,
    phone: str = "",
    address: str = "",
    description: str = "",
    reason: str = "",
) -> Enterprise:
    """Correct an enterprise's particulars (officer of its area). The credit code and the area stay: they
    decide which enterprise user and which officers see it, so a change there is a new registration."""
    require_officer(actor, enterprise.area_id)
    _check_kind(kind)
    before = {f: getattr(enterprise, f) for f in ("name", "kind", "leader", "phone", "address")}
    enterprise.name = text("name", name, "名称")
    enterprise.kind = kind
    enterprise.leader = text("leader", leader, "负责人")
    enterprise.phone, enterprise.address, enterprise.description = phone.strip(), address.strip(), description
    enterprise.save()
    audit_record(
        actor=actor,
        action="enterprise_update",
        obj=enterprise,
        area_code=enterprise.area_id,
        reason=reason,
        data={"before": before},
    )
    return enterprise


def _check_kind(kind: str) -> None:
    if kind not in codes.EnterpriseKind.__members__.values():
        raise invalid(
            "kind",
            "类型无效，请选择企业、合作社、家庭农场或帮扶车间",
            "kind must be company, cooperative, family_farm or workshop",
        )
