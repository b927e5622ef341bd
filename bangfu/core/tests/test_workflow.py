"""The workflow kernel (core.domain.workflow) and its one HTTP mapping (core.errors.refused): pure tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.core.domain.workflow import Guard, Step, StepRefused, Table
from bangfu.core.errors import refused


@dataclass(frozen=True)
class Facts:
    paid: bool = False
    signed: bool = False


PAID: Guard[Facts] = Guard("paid", lambda f: f.paid, "请先付款", "Pay first")
SIGNED: Guard[Facts] = Guard("signed", lambda f: f.signed, "请先签字", "Sign first")
STATES = {"new": "新建", "sent": "已发出", "done": "已完成", "void": "已作废"}
EVENTS = {"send": "发出", "close": "办结", "void": "作废"}
TABLE: Table[str, str] = Table(
    (
        Step("new", "send", "sent", frozenset({"clerk"})),
        Step("sent", "close", "done", frozenset({"boss"}), (PAID, SIGNED)),
        Step("new", "void", "void", frozenset({"clerk", "boss"}), needs_reason=True, zh="作废草稿"),
        Step("sent", "void", "void", frozenset({"boss"}), needs_reason=True),
    ),
    noun=("单据", "form"),
    states=STATES,
    events=EVENTS,
    who_labels={"boss": ("负责人", "head of office")},
)


def test_decide_returns_the_row() -> None:
    step = TABLE.decide("new", "send", {"clerk"})
    assert (step.source, step.target, step.zh, step.en) == ("new", "sent", "发出", "send")
    assert TABLE.decide("sent", "close", {"boss"}, Facts(paid=True, signed=True)).target == "done"


def test_a_step_not_possible_from_this_state_is_out_of_order_and_names_where_it_is() -> None:
    with pytest.raises(StepRefused) as e:
        TABLE.decide("done", "close", {"boss"}, Facts(True, True))
    assert e.value.code == "out_of_order"
    assert "已完成" in e.value.zh and "“已发出”" in e.value.zh and "done" in e.value.en
    with pytest.raises(StepRefused) as e:
        TABLE.decide("new", "unknown", {"boss"})
    assert e.value.code == "out_of_order" and "只能" not in e.value.zh


def test_someone_elses_step_is_not_yours_and_names_the_party_when_the_table_knows_it() -> None:
    with pytest.raises(StepRefused) as e:
        TABLE.decide("sent", "close", {"clerk"}, Facts(True, True))
    assert e.value.code == "not_yours" and "负责人" in e.value.zh and "head of office" in e.value.en
    with pytest.raises(StepRefused) as e:
        TABLE.decide("new", "send", {"boss"})
    assert e.value.code == "not_yours" and e.value.zh == "您的角色不能办理这一步"


def test_conditions_list_every_failed_guard_then_the_missing_reason() -> None:
    with pytest.raises(StepRefused) as e:
        TABLE.decide("sent", "close", {"boss"}, Facts(paid=False, signed=False))
    assert e.value.code == "conditions"
    assert [p[0] for p in e.value.problems] == ["paid", "signed"]
    with pytest.raises(StepRefused) as e:
        TABLE.decide("sent", "void", {"boss"}, reason="  ")
    assert e.value.problems == (("reason", "请填写理由", "Give the reason"),)
    assert TABLE.decide("sent", "void", {"boss"}, reason="写错了").target == "void"


def test_checks_come_in_order_state_then_party_then_conditions() -> None:
    with pytest.raises(StepRefused) as e:  # wrong state and wrong party: the state is what the user can fix
        TABLE.decide("done", "send", {"nobody"})
    assert e.value.code == "out_of_order"
    with pytest.raises(StepRefused) as e:  # wrong party and failed guards: the guards are not the user's to fix
        TABLE.decide("sent", "close", {"clerk"}, Facts())
    assert e.value.code == "not_yours"


def test_open_to_waiting_for_and_labels() -> None:
    assert [s.event for s in TABLE.open_to("new", {"clerk"})] == ["send", "void"]
    assert [s.event for s in TABLE.open_to("new", {"boss"})] == ["void"]
    assert TABLE.waiting_for("sent") == frozenset({"boss"}) and TABLE.waiting_for("done") == frozenset()
    assert TABLE.who() == frozenset({"clerk", "boss"})
    assert TABLE.event_label("void", "new") == "作废草稿" and TABLE.event_label("void", "sent") == "作废"
    assert TABLE.event_label("open") == "open" and TABLE.state_label("gone") == "gone"


def test_two_rows_for_one_state_and_event_are_refused() -> None:
    with pytest.raises(ValueError, match="share"):
        Table([Step("a", "e", "b", frozenset({"x"})), Step("a", "e", "c", frozenset({"x"}))], noun=("", ""),
              states={}, events={})  # fmt: skip


@given(
    state=st.sampled_from([*STATES, "other"]),
    event=st.sampled_from([*EVENTS, "other"]),
    who=st.frozensets(st.sampled_from(["clerk", "boss", "guest"])),
    paid=st.booleans(),
    signed=st.booleans(),
    reason=st.sampled_from(["", " ", "因为"]),
)
def test_decide_agrees_with_the_rows_and_open_to(
    state: str, event: str, who: frozenset[str], paid: bool, signed: bool, reason: str
) -> None:
    """Whatever is asked, decide either returns the one matching row or refuses with exactly one of
    three codes, and a step it allows is one open_to offers."""
    row = next((s for s in TABLE.steps if (s.source, s.event) == (state, event)), None)
    try:
        step = TABLE.decide(state, event, who, Facts(paid, signed), reason)
    except StepRefused as e:
        expected = "out_of_order" if row is None else "not_yours" if not row.who & who else "conditions"
        assert e.code == expected
        assert bool(e.problems) == (e.code == "conditions")
        return
    assert step == row and step in TABLE.open_to(state, who)


@pytest.mark.parametrize(
    ("args", "status", "code"),
    [
        (("done", "close", {"boss"}), 409, "invalid_step"),
        (("sent", "close", {"clerk"}), 403, "forbidden"),
        (("sent", "close", {"boss"}, Facts()), 422, "validation"),
    ],
)
def test_refused_maps_each_code_to_one_answer(args: tuple[object, ...], status: int, code: str) -> None:
    with pytest.raises(StepRefused) as e:
        TABLE.decide(*args)  # type: ignore[arg-type]
    error = refused(e.value)
    assert (error.status, error.code) == (status, code) and error.zh and error.en


def test_refused_conditions_carry_a_problem_per_field() -> None:
    with pytest.raises(StepRefused) as e:
        TABLE.decide("sent", "close", {"boss"}, Facts(paid=True))
    error = refused(e.value)
    assert [(p.field, p.zh) for p in error.problems] == [("signed", "请先签字")] and error.zh == "请先签字"
