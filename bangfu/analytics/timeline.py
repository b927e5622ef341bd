"""Gathers a household's events from each module's public selectors into one timeline.

Each module is asked through its own scoped selectors, so a user sees on the timeline exactly what
they could see on that module's pages. Employment (contracts, payslips, training, welfare posts,
dividends) and market (payments to the household) have household-level selectors; the registry's
income lines are shown only for sources without their own events (manual entries are the
statement itself), so no amount appears twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.analytics.domain.timeline import Event, ordered
from bangfu.core.i18n import english
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _household(user: User, household_id: int) -> list[Event]:
    h = registry.household_get(user, household_id)
    out = []
    if h.monitoring_since:
        title = _("纳入监测：%(type)s") % {"type": _word(h.monitoring_type)}
        out.append(Event(h.monitoring_since, "case", title, _joined(_word(r) for r in h.risk_codes)))
    if h.risk_eliminated_on:
        out.append(Event(h.risk_eliminated_on, "case", _("风险消除")))
    if h.relocated_on:
        out.append(Event(h.relocated_on, "registry", _("易地搬迁入住"), str(h.relocation_site or "")))
    return out


def _income(user: User, household_id: int) -> list[Event]:
    """Income fed by other modules (wages, dividends, claims, sales) as booked in each year's statement."""
    out = []
    for st in registry.statements_of(user, household_id):
        for item in st.items.all():
            if item.source not in DIRECT_SOURCES:
                title = _("%(year)s年%(item)s") % {"year": st.year, "item": _word(item.get_item_display())}
                out.append(Event(_year_end(st.year), "income", title, item.note, amount=item.amount))
    return out


# Income booked by these modules is shown as their own events (below), not again as income lines.
DIRECT_SOURCES = frozenset({"manual", "employment", "market", "insurance"})


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _warnings(user: User, household_id: int) -> list[Event]:
    from bangfu.monitoring import selectors as monitoring

    return [
        Event(w.as_of, "warning", _("预警：%(rule)s") % {"rule": _word(w.rule_name)}, _word(w.get_status_display()))
        for w in monitoring.warnings_of_household(user, household_id)
    ]


def _visits(user: User, household_id: int) -> list[Event]:
    from bangfu.casework import selectors as casework

    if not has_cap(user, Cap.LOG_VISITS):  # visits are shown to those who log them (not auditors)
        return []
    return [
        Event(
            v.visited_on,
            "visit",
            _("走访（%(mode)s）") % {"mode": _word(v.get_mode_display())},
            f"{v.worker or ''} {v.note}".strip(),
        )
        for v in casework.visits_of(user, household_id)
    ]


def _claims(user: User, household_id: int) -> list[Event]:
    from bangfu.insurance import selectors as insurance

    out = []
    for c in insurance.claims_for_household(user, household_id):
        title = _("理赔申请：%(cause)s") % {"cause": _word(c.cause_label)}  # the risk's label, never its code
        out.append(Event(c.applied_on, "claim", title, _word(c.get_status_display())))
        for p in c.payments.all():
            out.append(Event(p.paid_on, "claim", _("理赔到账"), str(p.reference), amount=p.amount))
    return out


def _case_steps(user: User, household_id: int) -> list[Event]:
    from bangfu.casework import selectors as casework

    return [  # every workflow's events read alike: core.models.StepLog
        Event(ev.day, "case", _("监测程序：%(step)s") % {"step": _step(ev)}, f"{_word(ev.to_label)} {ev.note}".strip())
        for ev in casework.case_events_of(user, household_id)
    ]


def _step(ev: Any) -> str:
    """A step's name in the reader's language; the workflow answers with the event's code where it has no
    English of its own, and a code never reaches a person, so the Chinese name (through the catalogue)."""
    if english() and ev.label_en != ev.event:
        return str(ev.label_en)
    return _word(ev.label)


def _word(label: Any) -> str:
    """A label stored or declared in Chinese, in the reader's language ("" stays "": gettext("") is the
    catalogue's header)."""
    return _(str(label)) if label else ""


def _joined(words: Any) -> str:
    return (", " if english() else "、").join(words)


def _measures(user: User, household_id: int) -> list[Event]:
    from bangfu.casework import selectors as casework

    return [
        Event(m.starts_on, "measure", _("帮扶措施：%(title)s") % {"title": m.title},
              f"{_word(m.category_label)} · {_word(m.get_status_display())}", amount=m.amount or None)
        for m in casework.measures_visible(user).filter(case__household_id=household_id).order_by("starts_on", "pk")
    ]  # fmt: skip


def _employment(user: User, household_id: int) -> list[Event]:
    from bangfu.employment import selectors as employment

    e = employment.household_employment(user, household_id)
    out = [
        Event(
            c.start, "job", _("就业：%(workshop)s %(job)s") % {"workshop": c.workshop.name, "job": c.job}, c.member.name
        )
        for c in e.contracts
    ]
    out += [
        Event(
            p.month, "wage", _("%(month)s工资") % {"month": f"{p.month:%Y-%m}"}, p.contract.member.name, amount=p.gross
        )
        for p in e.payslips
    ]
    out += [
        Event(t.course.end, "training", _("培训：%(skill)s") % {"skill": _word(t.course.skill)}, t.member.name)
        for t in e.training
    ]
    out += [
        Event(p.start, "job", _("公益岗位：%(post)s") % {"post": _word(p.post_type)}, p.member.name) for p in e.posts
    ]
    out += [
        Event(d.income.received_on, "dividend", _("分红：%(asset)s") % {"asset": d.income.asset.name},
              _("%(year)s年") % {"year": d.income.year}, amount=d.amount)
        for d in e.dividends
    ]  # fmt: skip
    return out


def _sales(user: User, household_id: int) -> list[Event]:
    from bangfu.market import selectors as market

    return [
        Event(
            p.paid_on,
            "sales",
            _("%(enterprise)s：%(kind)s") % {"enterprise": p.enterprise.name, "kind": _word(p.get_kind_display())},
            p.note,
            amount=p.amount,
        )
        for p in market.payments_to_household(user, household_id)
    ]


ADAPTERS: list[tuple[str, Callable[[User, int], list[Event]]]] = [
    ("registry", _household),
    ("income", _income),
    ("monitoring", _warnings),
    ("casework", _visits),
    ("casework", _case_steps),
    ("casework", _measures),
    ("insurance", _claims),
    ("employment", _employment),
    ("market", _sales),
]


def household_timeline(user: User, household_id: int) -> tuple[Any, list[Event]]:
    """The household (404 outside the user's areas) and its events, newest first."""
    h = registry.household_get(user, household_id)
    events: list[Event] = []
    for _app, adapter in ADAPTERS:
        events += adapter(user, household_id)
    return h, ordered(events)
