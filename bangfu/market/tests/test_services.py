"""Services and selectors on the database: access, stock, certification, attribution."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.core.errors import ApplicationError, Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.market import selectors, services
from bangfu.market.domain.figures import validity_end
from bangfu.market.models import Enterprise, OrderEvent, Payment, Product, SaleRecord
from bangfu.market.tests.conftest import certify, new_product, sector_officer
from bangfu.registry.models import IncomeStatement

pytestmark = pytest.mark.django_db


def test_who_sees_which_enterprise(market):
    w = market.world
    e, other = market.enterprise, market.other
    assert set(selectors.enterprises_visible(w.county)) == {e, other}
    assert set(selectors.enterprises_visible(w.t1)) == {e}
    assert set(selectors.enterprises_visible(w.t2)) == {other}
    assert set(selectors.enterprises_visible(market.owner)) == {e}
    assert set(selectors.enterprises_visible(market.rival)) == {other}
    for outsider in (w.gw2, w.enterprise, w.dept):
        assert not selectors.enterprises_visible(outsider).exists()


def test_enterprise_user_edits_only_their_own(market):
    today = market.today
    services.price_set(actor=market.owner, product=market.product, price=Decimal("21.00"), effective_from=today)
    with pytest.raises(NotFound):
        services.price_set(actor=market.rival, product=market.product, price=Decimal("1.00"), effective_from=today)
    with pytest.raises(NotFound):
        services.price_set(actor=market.world.t2, product=market.product, price=Decimal("1"), effective_from=today)
    with pytest.raises(Forbidden):  # the township officer sees it but market edits are the county's
        services.price_set(actor=market.world.t1, product=market.product, price=Decimal("1"), effective_from=today)
    assert selectors.current_price(Product.objects.get(pk=market.product.pk)) == Decimal("21.00")


def test_enterprise_user_cannot_certify_own_product(market):
    p = services.product_create(
        actor=market.owner,
        enterprise=market.enterprise,
        name="花椒",
        category="调味品",
        unit="jin",
        price=Decimal("60"),
        price_from=market.today,
    )
    c = services.certification_apply(actor=market.owner, product=p, applied_on=market.today)
    services.certification_decide(actor=market.world.t1, certification=c, decision="pass", sector="agriculture")
    services.certification_decide(
        actor=sector_officer("agri", market.world.area_county.code), certification=c, decision="pass"
    )
    with pytest.raises(Forbidden):
        services.certification_decide(
            actor=market.owner, certification=c, decision="certify", on=market.today, number="X"
        )
    c = services.certification_decide(
        actor=market.world.county, certification=c, decision="certify", on=market.today, number="BF-2"
    )
    assert c.state == "certified" and c.valid_from == market.today
    assert c.valid_until == validity_end(market.today, 24)  # the county's configured 24 months
    assert [e.to_state for e in c.events.all()] == ["applied", "township_ok", "sector_ok", "certified"]


def test_catalogue_shows_only_certified_valid_products(market):
    e, today = market.enterprise, market.today
    uncertified = new_product(e, "土豆", "蔬菜", Decimal("2"), today)
    expired = new_product(e, "核桃", "干果", Decimal("15"), today - dt.timedelta(days=900))
    certify(expired, today - dt.timedelta(days=800), "OLD")  # 24 months of validity ended before today
    revoked = new_product(e, "蜂蜜", "蜂产品", Decimal("80"), today)
    c = certify(revoked, today)
    services.certification_decide(actor=None, certification=c, decision="revoke", on=today, note="抽检不合格")
    listed = selectors.catalogue()
    assert [i.product.name for i in listed] == ["苦荞茶"]
    assert listed[0].price == Decimal("20.00")
    assert uncertified.pk not in [i.product.pk for i in listed]
    future = selectors.catalogue(day=today + dt.timedelta(days=800))
    assert future == []


def test_production_adds_stock_and_refuses_duplicates_and_the_future(market):
    p, today = market.product, market.today
    services.production_record(
        actor=market.owner, product=p, day=today - dt.timedelta(days=1), quantity=Decimal("5000")
    )
    p.refresh_from_db()
    assert p.on_hand == Decimal("5010")
    with pytest.raises(Conflict):
        services.production_record(actor=market.owner, product=p, day=today, quantity=Decimal("1"))
    with pytest.raises(ValidationFailed) as exc:
        services.production_record(
            actor=market.owner, product=p, day=today + dt.timedelta(days=1), quantity=Decimal("1")
        )
    assert "不能晚于今天" in exc.value.problems[0].zh and "future" in exc.value.problems[0].en
    p.refresh_from_db()
    assert p.on_hand == Decimal("5010")


def test_sale_rules_and_event_totals(market):
    p, today = market.product, market.today
    ev = services.sales_event_create(
        actor=market.owner,
        enterprise=market.enterprise,
        name="双十一联合展销",
        start=today,
        end=today,
        places=["马边", "乐山"],
    )
    services.sale_record(
        actor=market.owner,
        product=p,
        day=today,
        channel="fair",
        quantity=Decimal("2"),
        amount=Decimal("40"),
        place="马边",
        event=ev,
    )
    services.sale_record(
        actor=market.owner,
        product=p,
        day=today,
        channel="livestream",
        platform="抖音",
        quantity=Decimal("3"),
        amount=Decimal("60"),
        event=ev,
        from_stock=True,
    )
    with pytest.raises(ValidationFailed):  # offline at a place that is not the event's
        services.sale_record(
            actor=market.owner,
            product=p,
            day=today,
            channel="fair",
            quantity=Decimal("1"),
            amount=Decimal("20"),
            place="成都",
            event=ev,
        )
    with pytest.raises(ValidationFailed):  # a livestream must name its platform
        services.sale_record(
            actor=market.owner,
            product=p,
            day=today,
            channel="livestream",
            quantity=Decimal("1"),
            amount=Decimal("20"),
        )
    with pytest.raises(Conflict):  # 5 left on hand
        services.sale_record(
            actor=market.owner,
            product=p,
            day=today,
            channel="counter",
            quantity=Decimal("6"),
            amount=Decimal("120"),
        )
    t = selectors.sales_event_totals(market.world.county, ev.pk)
    assert (t.total, t.online, t.offline) == (Decimal("100"), Decimal("60"), Decimal("40"))
    assert t.by_place == {"马边": Decimal("40"), "线上": Decimal("60")}
    s = selectors.sales_summary(market.owner, market.enterprise.pk, today.year)
    assert s.total == Decimal("100") and s.by_channel == {"展销会": Decimal("40"), "直播带货": Decimal("60")}
    with pytest.raises(NotFound):
        selectors.sales_event_totals(market.rival, ev.pk)


def test_payments_flow_into_income_statements_and_sum(market):
    w, e = market.world, market.enterprise
    h1, h2 = w.households["h1"], w.households["h2"]
    services.household_link_create(
        actor=w.county, enterprise=e, household_id=h1.pk, kind="employment", start=dt.date(2019, 1, 1)
    )
    services.household_link_create(
        actor=w.county, enterprise=e, household_id=h2.pk, kind="dividend", start=dt.date(2019, 1, 1)
    )
    for month in range(1, 13):
        services.payment_record(
            actor=market.owner,
            enterprise=e,
            household_id=h1.pk,
            kind="wage",
            amount=Decimal("2600.50"),
            paid_on=dt.date(2019, month, 28),
        )
    services.payment_record(
        actor=market.owner,
        enterprise=e,
        household_id=h2.pk,
        kind="dividend",
        amount=Decimal("1200"),
        paid_on=dt.date(2019, 12, 31),
    )
    with pytest.raises(ValidationFailed):  # h2 is not employed by the company
        services.payment_record(
            actor=market.owner,
            enterprise=e,
            household_id=h2.pk,
            kind="wage",
            amount=Decimal("100"),
            paid_on=dt.date(2019, 5, 1),
        )
    st1 = IncomeStatement.objects.get(household=h1, year=2019)
    st2 = IncomeStatement.objects.get(household=h2, year=2019)
    assert st1.wage == Decimal("31206.00") and st1.net_income == Decimal("31206.00")
    assert st2.property == Decimal("1200.00")
    assert st1.items.filter(source="market").count() == 12
    rows = {b.household_id: b for b in selectors.beneficiaries(market.owner, e.pk, 2019)}
    assert rows[h1.pk].total == Decimal("31206.00") and rows[h2.pk].by_kind == {"分红": Decimal("1200.00")}
    assert sum(b.total for b in rows.values()) == sum(Payment.objects.values_list("amount", flat=True))
    # Cancelling a payment takes its line out of the statement.
    services.payment_cancel(actor=market.owner, payment=Payment.objects.filter(household=h2).get(), reason="重复录入")
    st2.refresh_from_db()
    assert st2.property == Decimal("0.00")


def test_link_needs_an_officer_who_sees_the_household(market):
    w, e = market.world, market.enterprise
    with pytest.raises(Forbidden):
        services.household_link_create(
            actor=market.owner,
            enterprise=e,
            household_id=w.households["h1"].pk,
            kind="employment",
            start=dt.date(2020, 1, 1),
        )
    with pytest.raises(NotFound):
        services.household_link_create(
            actor=w.t2,
            enterprise=e,
            household_id=w.households["h1"].pk,
            kind="employment",
            start=dt.date(2020, 1, 1),
        )


def test_enterprise_create_checks_the_credit_code(market):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(
            actor=market.world.county,
            name="X",
            kind="company",
            credit_code="91511133MA6XYZ0019",
            area_code=market.world.v1a.code,
            leader="Y",
        )
    assert exc.value.problems[0].field == "credit_code"
    assert Enterprise.objects.count() == 2


def test_order_lifecycle_moves_stock_and_records_events(market):
    w, p = market.world, market.product
    order = services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("4"))])
    p.refresh_from_db()
    assert (p.on_hand, p.reserved, order.total) == (Decimal("10"), Decimal("4"), Decimal("80.00"))
    with pytest.raises(ApplicationError) as exc:  # the buyer cannot confirm on the supplier's behalf
        services.order_transition(actor=w.t1, order=order, event="confirm")
    assert exc.value.status in (403, 409)
    services.order_transition(actor=market.owner, order=order, event="confirm")
    with pytest.raises(ApplicationError):  # nor can the supplier receive its own goods
        services.order_transition(actor=market.owner, order=order, event="receive")
    services.order_transition(actor=market.owner, order=order, event="ship")
    p.refresh_from_db()
    assert (p.on_hand, p.reserved) == (Decimal("6"), Decimal("0"))
    services.order_transition(actor=w.county, order=order, event="receive", note="外观、重量抽检合格")
    done = services.order_transition(actor=w.county, order=order, event="settle")
    assert done.state == "settled" and done.settled_on == market.today
    assert [(e.event, e.to_state) for e in OrderEvent.objects.filter(order=order)] == [
        ("place", "placed"),
        ("confirm", "confirmed"),
        ("ship", "shipped"),
        ("receive", "received"),
        ("settle", "settled"),
    ]
    sale = SaleRecord.objects.get(order=order)
    assert (sale.channel, sale.amount) == ("institutional", Decimal("80.00"))
    services.target_set(actor=w.county, buyer=market.buyer, year=market.today.year, canteen_purchases=Decimal("500"))
    [row] = selectors.buyer_progress(w.county, market.today.year)
    assert row.progress is not None and row.progress.target == Decimal("50.00") and row.progress.met


def test_cancel_releases_and_refusal_restocks(market):
    w, p = market.world, market.product
    a = services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("3"))])
    services.order_transition(actor=market.owner, order=a, event="cancel", note="缺货")
    b = services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("5"))])
    services.order_transition(actor=market.owner, order=b, event="confirm")
    services.order_transition(actor=market.owner, order=b, event="ship")
    services.order_transition(actor=w.county, order=b, event="refuse", note="包装破损")
    p.refresh_from_db()
    assert (p.on_hand, p.reserved) == (Decimal("10"), Decimal("0"))


def test_order_cannot_oversell_and_writes_nothing(market):
    w, p = market.world, market.product
    with pytest.raises(Conflict) as exc:
        services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("11"))])
    assert "库存不足" in exc.value.zh and "not enough" in exc.value.en
    p.refresh_from_db()
    assert p.reserved == Decimal("0")
    assert not OrderEvent.objects.exists()


def test_uncertified_products_cannot_be_ordered(market):
    p = new_product(market.enterprise, "土豆", "蔬菜", Decimal("2"), market.today)
    services.production_record(actor=None, product=p, day=market.today, quantity=Decimal("100"))
    with pytest.raises(ValidationFailed):
        services.order_place(actor=market.world.county, buyer=market.buyer, lines=[(p, Decimal("1"))])


def test_outsiders_cannot_place_or_move_orders(market):
    w, p = market.world, market.product
    for outsider in (w.t2, w.gw2, market.rival):
        with pytest.raises(NotFound):
            services.order_place(actor=outsider, buyer=market.buyer, lines=[(p, Decimal("1"))])
    order = services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("1"))])
    for outsider in (w.t2, w.gw2, market.rival):
        with pytest.raises(NotFound):
            services.order_transition(actor=outsider, order=order, event="cancel", note="x")
    order.refresh_from_db()
    assert order.state == "placed"
