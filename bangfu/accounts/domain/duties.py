"""Duties kept apart (职责分离) and the pairs a county may lift by a recorded delegation.

A duty pair names an earlier duty and a later one that the same person should not both do on one
piece of work (e.g. the adjuster who calculated a claim does not approve it). Apps that separate
duties add their pair here, so the delegation page and API list every pair in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DutyPair:
    code: str
    zh: str
    en: str
    grant_cap: str  # capability (accounts.domain.roles.Cap value) a county user needs to grant the exception


_PAIRS = (
    DutyPair(
        "claim.calculate-approve",
        "理赔：勘查/核算与审批",
        "Claims: survey/calculation and approval",
        "claim_approve",
    ),
    DutyPair(
        "case.verify-township",
        "监测识别/风险消除：入户核实或民主评议与乡镇审核",
        "Monitoring cases: home verification or deliberation and the township review",
        "case_approve",
    ),
    DutyPair(
        "case.township-county",
        "监测识别/风险消除：乡镇审核与县级审定",
        "Monitoring cases: township review and county approval",
        "case_approve",
    ),
)
DUTY_PAIRS: dict[str, DutyPair] = {p.code: p for p in _PAIRS}


def in_force(valid_from: dt.date, valid_to: dt.date | None, on: dt.date) -> bool:
    """A delegation counts on days from `valid_from` to `valid_to` inclusive (open-ended if None)."""
    return valid_from <= on and (valid_to is None or on <= valid_to)


def covers(area_prefix: str, code: str) -> bool:
    """The delegation's area (its significant code prefix) contains the area `code` of the work."""
    return bool(area_prefix) and code.startswith(area_prefix)
