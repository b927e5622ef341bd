"""The stepper and the deliberation vote, pure: steps in the table's order, done with who and when, the
current one with its deadline and what it waits for, a refusal where it happened; votes that contradict
their result are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.casework.domain import deliberation, stepper
from bangfu.casework.domain.procedure import TABLE, Event, Facts, State
from bangfu.core.errors import ValidationFailed

D = dt.date(2026, 11, 2)


def _done(*rows: tuple[str, str]) -> list[stepper.Done]:
    return [stepper.Done(e, s, D + dt.timedelta(days=i), f"u{i}", i) for i, (e, s) in enumerate(rows)]


def test_the_identification_path_follows_the_table() -> None:
    path = stepper.main_path(State.LEAD, State.MONITORED)
    assert [s.event for s in path] == [
        Event.ACCEPT, Event.VERIFY, Event.COMPARE, Event.DELIBERATE, Event.PUBLISH,
        Event.TOWNSHIP_REVIEW, Event.APPROVE, Event.ANNOUNCE,
    ]  # fmt: skip
    assert stepper.main_path(State.MONITORED, State.RISK_ELIMINATED)[0].event == Event.PROPOSE_ELIMINATION


def test_done_current_and_ahead_with_who_when_and_the_wait() -> None:
    done = _done(("accept", "lead"), ("verify", "accepted"), ("compare", "home_verified"))
    wait = stepper.Reason("公示期至2026-11-20", "until 2026-11-20")
    steps = stepper.stepper("identify", State.DATA_COMPARED, done, D + dt.timedelta(days=9), [wait])
    assert [s.status for s in steps] == ["done"] * 3 + ["current"] + ["ahead"] * 4
    assert (steps[0].on, steps[0].actor, steps[0].ref) == (D, "u0", 0)
    assert steps[3].due_on == D + dt.timedelta(days=9) and steps[3].waits == (wait,) and steps[3].who == ("村",)


def test_an_objection_sends_verification_back_and_earlier_rounds_are_not_done() -> None:
    done = _done(
        ("accept", "lead"), ("verify", "accepted"), ("compare", "home_verified"), ("deliberate", "data_compared"),
        ("publish", "village_deliberated"), ("object", "publicized"),
    )  # fmt: skip
    steps = stepper.stepper("identify", State.ACCEPTED, done, None)
    assert [s.status for s in steps][:3] == ["done", "current", "ahead"]


def test_a_rejection_is_shown_where_it_happened() -> None:
    done = _done(("accept", "lead"), ("verify", "accepted"), ("reject", "home_verified"))
    steps = stepper.stepper("identify", State.REJECTED, done, None)
    assert [s.status for s in steps][:4] == ["done", "done", "refused", "ahead"] and steps[2].actor == "u2"


def test_a_monitored_case_shows_identification_done_and_elimination_next() -> None:
    assert stepper.tracks_shown(State.MONITORED) == ["identify", "eliminate"]
    assert {s.status for s in stepper.stepper("identify", State.MONITORED, [], None)} == {"done"}
    assert stepper.stepper("eliminate", State.MONITORED, [], None)[0].status == "current"


def test_steps_waiting_for_the_notice_are_not_offered_and_say_until_when() -> None:
    review = TABLE.find(State.PUBLICIZED, Event.TOWNSHIP_REVIEW)
    assert review is not None
    running = Facts(notice_open=True, notice_elapsed=False, notice_ends=dt.date(2026, 11, 20))
    assert not stepper.can_take_now(review, running)
    assert stepper.blocked_by([review], running) == [
        stepper.Reason(
            "公示期至2026-11-20，2026-11-21起可审核",
            "the notice runs until 2026-11-20; the review is possible from 2026-11-21",
        )
    ]
    assert stepper.can_take_now(review, Facts(notice_elapsed=True))
    verify = TABLE.find(State.ACCEPTED, Event.VERIFY)
    assert verify is not None and stepper.can_take_now(verify, Facts())  # its form asks for what is missing


@pytest.mark.parametrize(
    ("result", "present", "yes", "no", "field"),
    [
        ("passed", 12, 5, 6, "vote_result"),  # no majority
        ("failed", 12, 9, 3, "vote_result"),  # a majority
        ("passed", 12, 10, 5, "votes_for"),  # more votes than people
        ("", 12, 10, 1, "vote_result"),
        ("passed", 0, 0, 0, "present"),
        ("passed", 12, "七", 1, "votes_for"),
    ],
)
def test_a_vote_that_contradicts_itself_is_refused(result, present, yes, no, field) -> None:
    with pytest.raises(ValidationFailed) as exc:
        deliberation.parse_vote(result, present, yes, no)
    assert field in [p.field for p in exc.value.problems]


def test_a_consistent_vote_is_kept() -> None:
    assert deliberation.parse_vote("passed", 14, 14, 0).votes_against == 0  # a zero is a count, not a blank
    vote = deliberation.parse_vote("passed", "12", "11", "0")
    assert vote.as_data() == {"result": "passed", "present": 12, "for": 11, "against": 0} and vote.abstained == 1
    assert deliberation.vote_of(vote.as_data()) == vote and deliberation.vote_of({}) is None
