"""A market on top of the test county: one enterprise in 雪口山乡 (T1) with its own user, a product
certified and priced, parameters configured for the county, and a canteen buyer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from bangfu.accounts.domain.roles import Role
from bangfu.core.domain.credit_code import make
from bangfu.market import services
from bangfu.market.domain.codes import ParamKey
from bangfu.testing import account


@dataclass
class Market:
    world: Any
    enterprise: Any
    other: Any  # an enterprise in the neighbouring township T2
    owner: Any  # enterprise_user of `enterprise`
    rival: Any  # enterprise_user of `other`
    product: Any
    buyer: Any
    today: dt.date


def enterprise_user(name: str, enterprise: Any, area_code: str) -> Any:
    return account(name, Role.ENTERPRISE, area_code, enterprise.credit_code)


def new_product(enterprise: Any, name: str, category: str, price: Decimal, price_from: dt.date) -> Any:
    """A product sold by the jin, priced from `price_from` (not certified: see `certify`)."""
    return services.product_create(
        actor=None,
        enterprise=enterprise,
        name=name,
        category=category,
        unit="jin",
        price=price,
        price_from=price_from,
    )


def certify(product: Any, on: dt.date, number: str = "BF-001") -> Any:
    """Apply and walk every step as a system job: township review, sector review, county decision."""
    c = services.certification_apply(actor=None, product=product, applied_on=on)
    services.certification_decide(actor=None, certification=c, decision="pass", on=on, sector="agriculture")
    services.certification_decide(actor=None, certification=c, decision="pass", on=on)
    return services.certification_decide(actor=None, certification=c, decision="certify", on=on, number=number)


def sector_officer(name: str, area_code: str, bureau: str = "农业农村局") -> Any:
    """A department officer of a sector bureau (Membership.organisation names it)."""
    return account(name, Role.DEPT_OFFICER, area_code, bureau)


@pytest.fixture
def market(world: Any) -> Market:
    today = timezone.localdate()
    county = world.area_county.code
    services.parameter_set(
        actor=None,
        area_code=county,
        key=ParamKey.CERT_VALIDITY_MONTHS,
        value=Decimal(24),
        effective_from=dt.date(2019, 1, 1),
    )
    services.parameter_set(
        actor=None,
        area_code=county,
        key=ParamKey.PROCUREMENT_SHARE,
        value=Decimal("0.10"),
        effective_from=dt.date(2019, 1, 1),
    )
    e = services.enterprise_create(
        actor=None,
        name="雪口山特产合作社",
        kind="cooperative",
        credit_code=make("93", "511133", "MA6XYW001"),
        area_code=world.v1a.code,
        leader="阿说",
    )
    other = services.enterprise_create(
        actor=None,
        name="民建镇茶叶公司",
        kind="company",
        credit_code=make("91", "511133", "MA6XYW002"),
        area_code=world.v2a.code,
        leader="王五",
    )
    owner = enterprise_user("coop_owner", e, county)
    rival = enterprise_user("tea_owner", other, county)
    p = new_product(e, "苦荞茶", "茶叶", Decimal("20.00"), today - dt.timedelta(days=30))
    services.production_record(actor=None, product=p, day=today, quantity=Decimal("10"))
    certify(p, today - dt.timedelta(days=10))
    buyer = services.buyer_create(actor=None, name="马边县机关食堂", kind="canteen", area_code=world.area_t1.code)
    p.refresh_from_db()
    return Market(world, e, other, owner, rival, p, buyer, today)
