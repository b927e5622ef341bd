"""employment 0006_steplog keeps every workshop event: the reason becomes the note and the criteria
checks move into data["checks"], both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bangfu.employment.tests.conftest import Story

BEFORE = [("employment", "0005_money_fields")]
AFTER = [("employment", "0006_steplog")]
CHECKS = [{"code": "poor_workers", "ok": False, "actual": "0", "required": "5"}]


def _migrate(target: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_reason_and_checks_survive_the_move_to_steplog(story: Story) -> None:
    w = story.workshop
    old = _migrate(BEFORE)
    try:
        event_model = old.get_model("employment", "WorkshopEvent")  # type: ignore[attr-defined]
        event_model.objects.create(
            workshop_id=w.pk, event="recognise", from_state="applied", to_state="recognised", checks=CHECKS
        )
        event_model.objects.create(workshop_id=w.pk, event="suspend", from_state="recognised", to_state="suspended",
                                   reason="停产整顿")  # fmt: skip
        new = _migrate(AFTER)
        rows = list(new.get_model("employment", "WorkshopEvent").objects.order_by("pk").values("note", "data"))  # type: ignore[attr-defined]
        assert rows == [{"note": "", "data": {"checks": CHECKS}}, {"note": "停产整顿", "data": {}}]
        back = _migrate(BEFORE)
        rows = list(back.get_model("employment", "WorkshopEvent").objects.order_by("pk").values("reason", "checks"))  # type: ignore[attr-defined]
        assert rows == [{"reason": "", "checks": CHECKS}, {"reason": "停产整顿", "checks": []}]
    finally:
        _migrate([("employment", MigrationExecutor(connection).loader.graph.leaf_nodes("employment")[0][1])])
