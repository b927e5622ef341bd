"""Identical feed batches sent at the same moment (PostgreSQL only): one is stored, every sender gets it.

SQLite serialises writers for the whole file; on PostgreSQL the senders all pass the "same content
already stored?" check before any of them inserts, and the unique content hash decides.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.monitoring import services
from bangfu.monitoring.models import FeedBatch, FeedRow
from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.monitoring.tests.test_feeds import school_row
from bangfu.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENDERS = 4


def test_identical_batches_sent_together_store_one_and_answer_everyone(world, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    rules_in_force(world)
    edu = accounts.user_create(username="edu", password="test-pass-123", display_name="教育局")
    accounts.membership_grant(
        user=edu, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="县教育局"
    )
    rows = [school_row(world.households["h1"].members.first())]

    # Every sender has passed the "already stored?" check before any of them inserts: the race, every time.
    barrier = threading.Barrier(SENDERS)
    create = FeedBatch.objects.create

    def create_together(**kwargs: Any) -> FeedBatch:
        barrier.wait(timeout=10)
        return create(**kwargs)

    monkeypatch.setattr(FeedBatch.objects, "create", create_together)
    # the defect: IntegrityError escaped as a 500
    results: list[Any] = race(
        [
            lambda: services.feed_ingest(actor=edu, kind="school", rows=rows, period="2025-09", source="api")
            for _ in range(SENDERS)
        ]
    )

    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False] * (SENDERS - 1) + [True]
    stored = FeedBatch.objects.get()
    assert {batch.pk for batch, _ in results} == {stored.pk}
    assert FeedRow.objects.count() == 1
