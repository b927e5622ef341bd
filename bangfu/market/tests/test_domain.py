"""Pure rules without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.core.domain import credit_code
from bangfu.core.domain.workflow import StepRefused
from bangfu.market.domain import certification as cert
from bangfu.market.domain import figures
from bangfu.market.domain.codes import Sector
from bangfu.market.domain.orders import TABLE, OrderState, Party

TRANSITIONS = TABLE.steps

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)


def test_credit_code_round_trip_and_typo():
    code = credit_code.make("91", "542428", "MA6T1X2Y3")
    assert credit_code.parse(code.lower()) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(credit_code.InvalidCreditCode):
        credit_code.parse(wrong)
    with pytest.raises(credit_code.InvalidCreditCode):
        credit_code.parse(code[:-1])


@given(st.text(alphabet=credit_code.ALPHABET, min_size=9, max_size=9), st.integers(0, 16), st.data())
def test_credit_code_catches_any_single_change(serial, pos, data):
    code = credit_code.make("93", "542428", serial)
    replacement = data.draw(st.sampled_from([c for c in credit_code.ALPHABET if c != code[pos]]))
    changed = code[:pos] + replacement + code[pos + 1 :]
    with pytest.raises(credit_code.InvalidCreditCode):
        credit_code.parse(changed)


def test_order_happy_path_by_the_right_parties():
    s, b = frozenset({Party.SUPPLIER}), frozenset({Party.BUYER})
    state = OrderState.PLACED
    for event, parties in [("confirm", s), ("ship", s), ("receive", b), ("settle", b)]:
        state = TABLE.decide(state, event, parties).target
    assert state is OrderState.SETTLED


def test_wrong_party_or_state_is_refused():
    for state, event, parties, note, code in [
        (OrderState.PLACED, "confirm", {Party.BUYER}, "", "not_yours"),
        (OrderState.PLACED, "ship", {Party.SUPPLIER}, "", "out_of_order"),
        (OrderState.SETTLED, "cancel", {Party.BUYER, Party.SUPPLIER}, "late", "out_of_order"),
        (OrderState.CONFIRMED, "cancel", {Party.BUYER}, "", "conditions"),  # a reason is required
    ]:
        with pytest.raises(StepRefused) as refused:
            TABLE.decide(state, event, parties, reason=note)
        assert refused.value.code == code
    assert [t.event for t in TABLE.open_to(OrderState.SHIPPED, {Party.BUYER})] == ["receive", "refuse"]


def test_table_is_deterministic_and_terminal_states_have_no_exit():
    keys = [(t.source, t.event) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    assert not [t for t in TRANSITIONS if t.source in (OrderState.SETTLED, OrderState.CANCELLED, OrderState.RETURNED)]


def test_price_on_takes_latest_started():
    h = [
        figures.PricePoint(dt.date(2019, 1, 1), Decimal("5.00")),
        figures.PricePoint(dt.date(2019, 6, 1), Decimal("19.80")),
        figures.PricePoint(dt.date(2030, 1, 1), Decimal("25.00")),
    ]
    assert figures.price_on(h, dt.date(2018, 12, 31)) is None
    assert figures.price_on(h, dt.date(2019, 5, 31)) == Decimal("5.00")
    assert figures.price_on(h, dt.date(2020, 1, 1)) == Decimal("19.80")


def test_validity_end_and_is_valid():
    assert figures.validity_end(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 28)
    assert figures.validity_end(dt.date(2024, 3, 1), 24) == dt.date(2026, 2, 28)
    start, end = dt.date(2024, 3, 1), dt.date(2026, 2, 28)
    assert figures.is_valid(True, start, end, end)
    assert not figures.is_valid(True, start, end, end + dt.timedelta(days=1))
    assert not figures.is_valid(False, start, end, start)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(1, 120))
def test_validity_lasts_the_months(start, months):
    end = figures.validity_end(start, months)
    assert start <= end
    assert (end.year - start.year) * 12 + end.month - start.month in (months - 1, months)


def test_most_specific_area_then_latest_start_wins():
    rows = [
        figures.ParamRow("542428000000", "542428", dt.date(2019, 1, 1), Decimal("0.10")),
        figures.ParamRow("542428100000", "542428100", dt.date(2020, 1, 1), Decimal("0.15")),
        figures.ParamRow("542428000000", "542428", dt.date(2022, 1, 1), Decimal("0.12")),
    ]
    assert figures.pick_param(rows, "542428100201", dt.date(2019, 6, 1)) == Decimal("0.10")
    assert figures.pick_param(rows, "542428100201", dt.date(2023, 6, 1)) == Decimal("0.15")
    assert figures.pick_param(rows, "542428200201", dt.date(2023, 6, 1)) == Decimal("0.12")
    assert figures.pick_param(rows, "510000000000", dt.date(2023, 6, 1)) is None


@given(amounts, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1"), places=2), amounts)
def test_progress(base, share, done):
    p = figures.Progress(base, share, done)
    assert abs(p.target - base * share) <= Decimal("0.005")
    assert p.met == (done >= p.target)


@given(st.lists(st.tuples(st.sampled_from("abc"), amounts)))
def test_totals_by_preserves_the_sum(rows):
    totals = figures.totals_by(rows)
    assert sum(totals.values(), Decimal(0)) == sum((a for _, a in rows), Decimal(0))


# --- certification steps (domain/certification.py) --------------------------------------------------

NUMBER = cert.Facts(number="X")


def test_county_decides_only_after_both_reviews():
    everyone = frozenset(cert.Party)
    assert [t.source for t in cert.TABLE.steps if t.target == cert.State.CERTIFIED] == [cert.State.SECTOR_OK]
    for state in set(cert.State) - {cert.State.SECTOR_OK}:
        with pytest.raises(StepRefused) as refused:
            cert.TABLE.decide(state, cert.Action.CERTIFY, everyone, NUMBER)
        assert refused.value.code == "out_of_order" and "行业复审通过·待县级审定" in refused.value.zh
    # the path: applied → township → sector → county
    state = cert.State.APPLIED
    for action, party in [
        (cert.Action.PASS, cert.Party.TOWNSHIP),
        (cert.Action.PASS, cert.Party.SECTOR),
        (cert.Action.CERTIFY, cert.Party.COUNTY),
    ]:
        state = cert.TABLE.decide(state, action, frozenset({party}), cert.Facts("agriculture", "X")).target
    assert state == cert.State.CERTIFIED


def test_each_step_belongs_to_its_party_only():
    for t in cert.TABLE.steps:
        others = frozenset(cert.Party) - t.who
        with pytest.raises(StepRefused) as refused:
            cert.TABLE.decide(t.source, t.event, others)
        assert refused.value.code == "not_yours" and t.zh in refused.value.zh
        assert cert.TABLE.decide(t.source, t.event, t.who, cert.Facts("agriculture", "X"), "理由") == t
        assert t not in cert.TABLE.open_to(t.source, others) and t in cert.TABLE.open_to(t.source, t.who)
    # every send-back, rejection and revocation must give the reason the enterprise reads
    assert {t.event for t in cert.TABLE.steps if t.needs_reason} == {
        cert.Action.RETURN,
        cert.Action.REJECT,
        cert.Action.REVOKE,
    }
    assert [t.who for t in cert.TABLE.steps if cert.G_SECTOR in t.guards] == [{cert.Party.TOWNSHIP}]


def test_whose_turn_labels_and_bureaus():
    assert [cert.waiting_for(s) for s in cert.State] == [
        cert.Party.TOWNSHIP,
        cert.Party.SECTOR,
        cert.Party.COUNTY,
        cert.Party.ENTERPRISE,
        None,
        None,
        None,
    ]
    assert cert.TABLE.event_label("apply") == "主体申请"
    assert cert.TABLE.event_label("return", "township_ok") == "行业复审退回"
    assert cert.TABLE.event_label("adjust", "applied") == "流程调整"  # the 0002 migration's rows
    assert cert.sector_of_organisation(" 农业农村局 ") is Sector.AGRICULTURE
    assert cert.sector_of_organisation("culture_tourism") is Sector.CULTURE_TOURISM
    assert cert.sector_of_organisation("医保") is None and cert.sector_of_organisation("") is None


def test_the_steplog_migration_names_each_recorded_step_as_the_table_does():
    """market/migrations/0005_steplog.py reads the event of old rows back from their two states."""
    from importlib import import_module

    events = import_module("bangfu.market.migrations.0005_steplog")._EVENTS
    assert events == {(str(t.source), str(t.target)): str(t.event) for t in cert.TABLE.steps}
