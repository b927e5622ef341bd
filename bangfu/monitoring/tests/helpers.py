"""Test set-up shared by monitoring tests: rules in force for the test province, and feed rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bangfu.core import crypto
from bangfu.monitoring.models import FeedBatch, FeedRow
from bangfu.rules import services as rules
from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES

LINE = Decimal("6000")


def rules_in_force(world: Any, line: Decimal = LINE, extra: list[dict[str, Any]] | None = None) -> Any:
    """The default rules (plus `extra`) published for the province, and the province's line."""
    today = timezone.localdate()
    draft = rules.ruleset_create_draft(actor=None, area_code=world.province.code)
    rules.ruleset_update_draft(
        actor=None, ruleset=draft, window="rolling_12m", params=DEFAULT_PARAMS, rules=[*DEFAULT_RULES, *(extra or [])]
    )
    rs = rules.ruleset_publish(actor=None, ruleset=draft, effective_from=dt.date(2020, 1, 1))
    rules.monitoring_line_set(actor=None, area_code=world.province.code, year=today.year - 1, amount=line)
    return rs


def id_of(member: Any) -> str:
    return crypto.decrypt(member.id_enc)


def feed_row(
    household: Any, kind: str, amount: str | int, when: dt.date, event: str = "", member: Any = None
) -> FeedRow:
    batch, _ = FeedBatch.objects.get_or_create(
        kind=kind,
        area_id=household.village_id[:6] + "000000",
        content_hash=f"test-{kind}",
        defaults={"department": "test", "source": "api"},
    )
    member = member or household.members.first()
    return FeedRow.objects.create(
        batch=batch,
        kind=kind,
        household=household,
        member=member,
        event_date=when,
        amount=Decimal(amount),
        event=event,
        row_no=2,
        data={},
    )
