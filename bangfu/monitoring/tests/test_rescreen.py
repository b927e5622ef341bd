"""A change to a household's record re-screens it once the change commits (the registry sends
`registry.signals.households_changed`; monitoring connects to it in its AppConfig.ready)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.monitoring import services
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db


def test_income_entered_below_the_line_queues_one_rescreen_that_warns(world, django_capture_on_commit_callbacks):
    rules_in_force(world)
    DBTaskResult.objects.all().delete()
    h = world.households["h1"]  # 3 members
    year = timezone.localdate().year - 1
    with django_capture_on_commit_callbacks(execute=True):
        registry.income_item_set(actor=world.t1, household=h, year=year, item="wage.local", amount="9000")
        registry.income_item_set(actor=world.t1, household=h, year=year, item="business.crops", amount="3000")
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="rescreen_households")
    # One task for the transaction, the household once in it (the test world's own households,
    # created in this same never-committed test transaction, ride along).
    (ids,) = queued.args_kwargs["args"]
    assert ids.count(h.pk) == 1
    assert services.rescreen(household_ids=[h.pk], as_of=timezone.localdate()) == 1  # what the worker runs
    w = Warning.objects.get(household=h)
    assert "4,000" in w.explanation and "6,000" in w.explanation


def test_nothing_is_queued_when_the_change_is_refused(world, django_capture_on_commit_callbacks):
    rules_in_force(world)
    DBTaskResult.objects.all().delete()
    h = world.households["h1"]
    with pytest.raises(Exception), django_capture_on_commit_callbacks(execute=True):  # noqa: B017
        registry.income_item_set(actor=world.t1, household=h, year=2024, item="nope", amount="1")
    assert not DBTaskResult.objects.exists() and not Warning.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queued_rescreen(world):
    """Committed for real (no test transaction): registering the household queued its re-screening."""
    import io

    from django.core.management import call_command

    rules_in_force(world)
    h = world.households["h2"]
    registry.income_item_set(
        actor=world.t1, household=h, year=timezone.localdate().year - 1, item="wage.local", amount="3000"
    )  # 2 members: 1,500 per head
    call_command("worker", "--once", "--screen-at", "23:59:59.999999", stdout=io.StringIO())
    assert Warning.objects.filter(household=h, rule_code="income_below_line").exists()
