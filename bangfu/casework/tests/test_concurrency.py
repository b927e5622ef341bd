"""Two county officers approve the same step of the same case at the same moment (PostgreSQL only).

SQLite serialises writers for the whole file, so the race can only be shown on PostgreSQL, where
case_step's row lock (select_for_update) is what makes exactly one approval win.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from bangfu.casework import services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseEvent
from bangfu.casework.tests.test_services import day, open_case, run_to
from bangfu.core.errors import ApplicationError, Conflict
from bangfu.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _approve_together(world, case_pk: int) -> list[Any]:
    """Both threads wait at the barrier, then call the service; each returns its case or its error."""
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def approve(i: int) -> None:
        try:
            stale = Case.objects.get(pk=case_pk)  # both read the case before either writes
            barrier.wait(timeout=10)
            results[i] = services.case_step(
                actor=world.county,
                case=stale,
                event="approve",
                on=day(30),
                data={"monitoring_type": "边缘易致贫户", "risk_codes": ["因病"]},
            )
        except ApplicationError as exc:
            results[i] = exc
        finally:
            connections.close_all()  # each thread has its own connection; do not leak it

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_double_approval_at_the_same_moment_lets_exactly_one_through(world, params) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL's row locks")
    case = run_to(world, open_case(world), State.TOWNSHIP_REVIEWED)
    results = _approve_together(world, case.pk)
    won = [r for r in results if isinstance(r, Case)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], Conflict) and lost[0].code == "invalid_step"
    assert "县级已审定" in lost[0].zh and "approve" in lost[0].en
    assert CaseEvent.objects.filter(case_id=case.pk, event="approve").count() == 1
    assert Case.objects.get(pk=case.pk).state == State.COUNTY_APPROVED


REPORTERS = 4


def test_concurrent_reports_on_one_household_open_one_live_case(world, params, monkeypatch) -> None:
    """Reliability D3: every reporter passed the "live case?" check before any inserted; 3–4 live cases."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises writers)")
    from bangfu.casework.services import cases as case_services

    barrier = threading.Barrier(REPORTERS)
    set_state = case_services.set_state  # type: ignore[attr-defined]  # patched where cases.py looks it up

    def set_state_together(case: Case, state: State, on: Any) -> None:
        set_state(case, state, on)
        if state == State.LEAD:  # after the check, before the insert: the race, every time
            barrier.wait(timeout=10)

    monkeypatch.setattr(case_services, "set_state", set_state_together)
    h = world.households["h1"]

    # the defect would show as duplicates; an IntegrityError would be a 500
    def report(i: int) -> Callable[[], Any]:
        return lambda: services.case_open(actor=world.gw1, household=h, source="grid", summary=f"报告{i}")

    results: list[Any] = race([report(i) for i in range(REPORTERS)])

    assert all(isinstance(r, Case) for r in results), results
    live = Case.objects.filter(household=h).exclude(state=State.REJECTED)
    assert live.count() == 1
    assert {r.pk for r in results} == {live.get().pk}
    events = CaseEvent.objects.filter(case=live.get())
    assert events.filter(event="open").count() == 1 and events.filter(event="report").count() == REPORTERS - 1


def test_the_same_queued_visit_sent_twice_at_once_is_saved_once(world, params, client_for) -> None:
    """A phone on a weak line sends its queued visit again before the first answer arrives: the second
    waits on the (user, key) row, then gets the first one's stored answer (core.idempotency)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL's row locks")
    import uuid

    from bangfu.casework.models import Visit

    h = world.households["h1"]
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    answers: list[Any] = [None, None]

    def send(i: int) -> None:
        try:
            c = client_for(world.gw1)
            barrier.wait(timeout=10)
            answers[i] = c.post(
                f"/cases/grid/visit/{h.pk}/",
                {"mode": "in_person", "note": "同时发送"},
                HTTP_ACCEPT="application/json",
                HTTP_IDEMPOTENCY_KEY=key,
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [a.status_code for a in answers] == [201, 201]
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert answers[0].json() == answers[1].json()
    assert Visit.objects.filter(household=h).count() == 1
