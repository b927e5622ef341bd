"""What the procedure's guards look at, read as of a day: for the service deciding a step and for the
page offering only the steps that can be taken now (the same facts, so they cannot disagree)."""

from __future__ import annotations

import datetime as dt

from bangfu.casework.domain import codes
from bangfu.casework.domain import elimination as elim
from bangfu.casework.domain.procedure import NOTICE_STATES, Facts, State
from bangfu.casework.models import Case, Measure, PublicNotice, Visit
from bangfu.casework.selectors.config import params_for
from bangfu.registry.domain.income import Purpose, income_year
from bangfu.rules import selectors as rules_selectors


def current_notice(case: Case) -> PublicNotice | None:
    return PublicNotice.objects.filter(case=case, withdrawn=False).order_by("-pk").first()


def case_facts(case: Case, on: dt.date, *, elimination: bool = False) -> Facts:
    """The guards' facts on day `on`; the elimination conditions only when asked (they read the
    household's income, measures and visits)."""
    state = State(case.state)
    notice = current_notice(case) if state in NOTICE_STATES else None
    check_elimination = elimination and state in (State.MONITORED, State.ELIM_TOWNSHIP_REVIEWED)
    return Facts(
        has_household=case.household_id is not None,
        consent_signed=case.consent_signed_on is not None,
        survey_done=bool(case.survey.strip()),
        comparison_done=set(codes.COMPARISON_ITEMS) <= set(case.comparison),
        minutes_recorded=bool(case.minutes.strip() and case.attendees.strip()),
        notice_open=notice is not None and notice.starts_on <= on <= notice.ends_on,
        notice_elapsed=notice is not None and on > notice.ends_on,
        notice_ends=notice.ends_on if notice is not None else None,
        type_and_risks_ok=_type_ok(case),
        elimination_failures=elimination_failures(case, on) if check_elimination and case.household else (),
    )


def _type_ok(case: Case) -> bool:
    risks = case.risk_codes or []
    return (
        case.monitoring_type in codes.MONITORING_TYPES
        and 1 <= len(risks) <= codes.MAX_RISK_CODES
        and all(r in codes.RISK_CODES for r in risks)
    )


def elimination_failures(case: Case, on: dt.date) -> tuple[tuple[str, str], ...]:
    """(zh, en) of each elimination condition the household does not meet on `on`."""
    h = case.household
    assert h is not None
    p = params_for(case.village_id, on)
    # The household's income for elimination is the statement registry's domain names (the last
    # complete year, like screening; the current year's holds only what was paid so far), compared
    # with the line of that same year, read from rules (one source of truth).
    year = income_year(Purpose.ELIMINATION, on)
    statement = h.statements.filter(year=year).first()
    rules = elim.EliminationRules(
        p.min_months_monitored,
        p.min_measures_done,
        p.stable_income_months,
        rules_selectors.lines_for([case.village_id], year).get(case.village_id),
        p.exclude_no_labour,
        p.require_guarantees,
    )
    check = h.guarantee_checks.order_by("-checked_on", "-pk").first()
    drops = (
        Visit.objects.filter(household=h, visited_on__lte=on)
        .order_by("-visited_on")
        .values_list("visited_on", "checks")
    )
    last_drop = next((d for d, checks in drops if "income_change" in (checks or [])), None)
    facts = elim.EliminationFacts(
        today=on,
        monitored_since=h.monitoring_since,
        measures_done=Measure.objects.filter(case=case, status="done").count(),
        per_capita=statement.per_capita if statement else None,
        last_income_drop=last_drop,
        rigid_expenditure_resolved=case.rigid_expenditure_resolved,
        guarantees_secure=check.all_secure if check else None,
        no_labour=h.no_labour,
        income_year=year,
    )
    return tuple(elim.check(rules, facts))
