"""The task-first home of grid workers and village cadres (issue #15), and the phone's offline data.

Their work in order of urgency, each module asked through its own scoped selectors: warnings to
verify (monitoring), visits overdue or due this week with the reason (casework), reports and leads
still in the procedure (casework), then their households. The same reads feed `/tasks/offline.json`
(docs/offline.md §3), so the phone's last-synced tasks are the page's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.casework import selectors as casework
from bangfu.casework.domain import codes as visit_codes
from bangfu.casework.domain.visits import CATEGORY_NAMES, MAX_VISIT_AGE_DAYS
from bangfu.monitoring import selectors as monitoring

if TYPE_CHECKING:
    from bangfu.accounts.models import User

SHOWN = 20
HTMX = "vendor/htmx-2.0.11.min.js"  # loaded by base.html on every page but the task home


@dataclass(frozen=True)
class Worklist:
    today: dt.date
    warnings: list[Any]
    warnings_total: int
    visits: list[casework.VisitTask]
    visits_later: int
    cases: list[casework.CaseTask]
    cases_total: int
    households: list[casework.HouseholdDue]

    @property
    def villages(self) -> list[tuple[str, str]]:
        """(code, name) of the villages of the user's households: their posters to print."""
        return sorted({(r.household.village_id, r.household.village.name) for r in self.households})

    @property
    def empty(self) -> bool:
        return not (self.warnings or self.visits or self.cases)


def worklist(user: User, today: dt.date) -> Worklist:
    warnings, warnings_total = (
        monitoring.warnings_to_verify(user, SHOWN) if has_cap(user, Cap.HANDLE_WARNINGS) else ([], 0)
    )
    households = casework.households_to_look_after(user, today)
    visits, later = casework.visit_tasks(households, today)
    cases, cases_total = casework.cases_waiting(user, today, SHOWN)
    return Worklist(today, warnings, warnings_total, visits, later, cases, cases_total, households)


def offline_data(user: User, today: dt.date, csrf_token: str) -> dict[str, Any]:
    """The phone's copy (docs/offline.md §3): only the user's own households, IDs masked, and the rules."""
    w = worklist(user, today)
    open_warnings: dict[int, int] = {}
    for warning in w.warnings:
        open_warnings[warning.household_id] = open_warnings.get(warning.household_id, 0) + 1
    obligations = {(r.household.village_id, r.obligation.category): r.obligation for r in w.households if r.obligation}
    return {
        "version": 1,
        "today": today.isoformat(),
        "user": {"id": user.pk, "name": str(user)},
        "csrf_token": csrf_token,
        "rules": {
            "checks": visit_codes.VISIT_CHECKS,
            "modes": visit_codes.VISIT_MODES,
            "max_visit_age_days": MAX_VISIT_AGE_DAYS,
            "obligations": [
                {
                    "village": village,
                    "category": ob.category,
                    "category_zh": CATEGORY_NAMES.get(ob.category, (ob.category, ""))[0],
                    "visits": ob.visits,
                    "period": ob.period,
                    "phone_counts": ob.phone_counts,
                }
                for (village, _), ob in sorted(obligations.items())
            ],
        },
        "households": [_household(r, open_warnings) for r in w.households],
        "tasks": {
            "warnings": [
                {
                    "id": x.pk,
                    "household_id": x.household_id,
                    "head_name": x.household.head_name,
                    "rule_zh": x.rule_name,
                    "explanation": x.explanation,
                    "status": x.status,
                    "created": x.created.date().isoformat(),
                    "url": reverse("monitoring:warning_detail", args=[x.pk]),
                }
                for x in w.warnings
            ],
            "visits_due": [
                {
                    "household_id": t.due.household.pk,
                    "head_name": t.due.household.head_name,
                    "reason_zh": t.reason_zh,
                    "reason_en": t.reason_en,
                    "overdue": t.overdue,
                    "due_by": t.due.standing.period_end.isoformat() if t.due.standing else None,
                    "url": reverse("casework:visit_form", args=[t.due.household.pk]),
                }
                for t in w.visits
            ],
            "leads": [
                {
                    "case_id": c.case.pk,
                    "household_id": c.case.household_id,
                    "head_name": c.case.household.head_name if c.case.household else "",
                    "state": c.case.state,
                    "state_zh": c.state_label,
                    "due_on": c.case.due_on.isoformat() if c.case.due_on else None,
                }
                for c in w.cases
            ],
        },
        "precache": precache_urls(),
    }


def _household(r: casework.HouseholdDue, open_warnings: dict[int, int]) -> dict[str, Any]:
    h = r.household
    st = r.standing
    return {
        "id": h.pk,
        "number": h.number,
        "head_name": h.head_name,
        "phone": h.phone,
        "village": h.village.name,
        "grid": h.grid.name if h.grid else "",
        "monitored": r.monitored,
        "monitoring_type": h.monitoring_type,
        "category": st.category if st else None,
        "standing": None
        if st is None or r.obligation is None
        else {
            "required": st.required,
            "done": st.done,
            "remaining": st.remaining,
            "period_end": st.period_end.isoformat(),
            "phone_counts": r.obligation.phone_counts,
        },
        "last_visit": r.last_visit.isoformat() if r.last_visit else None,
        "open_warnings": open_warnings.get(h.pk, 0),
        "visit_url": reverse("casework:visit_form", args=[h.pk]),
    }


def precache_urls() -> list[str]:
    """What the service worker keeps for offline use: the task home, the household list and the static
    files those pages load (docs/offline.md §3)."""
    from django.templatetags.static import static

    return [
        reverse("analytics:home"),
        reverse("analytics:tasks"),
        reverse("casework:my_households"),
        static("bangfu/app.css"),
        static("bangfu/app.js"),
        static(HTMX),
    ]
