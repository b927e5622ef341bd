"""Gathers a household's events from each module's public selectors into one timeline.

Each module is asked through its own scoped selectors, so a user sees on the timeline exactly what
they could see on that module's pages. Employment (jobs, training, wages, dividends) and market
(sales income) have no household-level selector in the tree yet, so their events reach the
timeline through the income lines they write to the registry (see `_income`); add an adapter here
when they ship one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.analytics.domain.timeline import Event, ordered
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _household(user: User, household_id: int) -> list[Event]:
    h = registry.household_get(user, household_id)
    out = []
    if h.monitoring_since:
        out.append(Event(h.monitoring_since, "case", f"纳入监测：{h.monitoring_type}", "、".join(h.risk_codes)))
    if h.risk_eliminated_on:
        out.append(Event(h.risk_eliminated_on, "case", "风险消除"))
    if h.relocated_on:
        out.append(Event(h.relocated_on, "registry", "易地搬迁入住", str(h.relocation_site or "")))
    return out


def _income(user: User, household_id: int) -> list[Event]:
    """Income fed by other modules (wages, dividends, claims, sales) as booked in each year's statement."""
    out = []
    for st in registry.statements_of(user, household_id):
        for item in st.items.all():
            if item.source != "manual":
                label = item.get_item_display()
                out.append(Event(_year_end(st.year), "income", f"{st.year}年{label}", item.note, amount=item.amount))
    return out


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _warnings(user: User, household_id: int) -> list[Event]:
    from bangfu.monitoring import selectors as monitoring

    return [
        Event(w.as_of, "warning", f"预警：{w.rule_name}", w.get_status_display())
        for w in monitoring.warnings_of_household(user, household_id)
    ]


def _visits(user: User, household_id: int) -> list[Event]:
    from bangfu.casework import selectors as casework

    if not has_cap(user, Cap.LOG_VISITS):  # visits are shown to those who log them (not auditors)
        return []
    return [
        Event(v.visited_on, "visit", f"走访（{v.get_mode_display()}）", f"{v.worker or ''} {v.note}".strip())
        for v in casework.visits_of(user, household_id)
    ]


def _claims(user: User, household_id: int) -> list[Event]:
    from bangfu.insurance import selectors as insurance

    out = []
    for c in insurance.claims_for_household(user, household_id):
        out.append(Event(c.applied_on, "claim", f"理赔申请：{c.cause}", c.get_status_display()))
        for p in c.payments.all():
            out.append(Event(p.paid_on, "claim", "理赔到账", str(p.reference), amount=p.amount))
    return out


ADAPTERS: list[tuple[str, Callable[[User, int], list[Event]]]] = [
    ("registry", _household),
    ("income", _income),
    ("monitoring", _warnings),
    ("casework", _visits),
    ("insurance", _claims),
]


def household_timeline(user: User, household_id: int) -> tuple[Any, list[Event]]:
    """The household (404 outside the user's areas) and its events, newest first."""
    h = registry.household_get(user, household_id)
    events: list[Event] = []
    for _app, adapter in ADAPTERS:
        events += adapter(user, household_id)
    return h, ordered(events)
