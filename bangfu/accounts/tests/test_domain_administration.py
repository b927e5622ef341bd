"""Pure rules of account administration: role ordering, role levels, membership dates."""

from __future__ import annotations

import datetime as dt

from bangfu.accounts.domain.administration import (
    CAP_LABELS,
    ROLE_RANK,
    grantable,
    may_grant,
    membership_current,
    membership_dates_problem,
    role_area_problem,
)
from bangfu.accounts.domain.roles import Cap, Role
from bangfu.areas.domain.codes import Level


def test_county_admin_grants_every_role_at_or_below_its_own() -> None:
    assert all(ROLE_RANK[r] <= ROLE_RANK[Role.COUNTY_ADMIN] for r in Role)
    assert all(may_grant(Role.COUNTY_ADMIN, r) for r in Role)


def test_township_grants_only_village_and_grid_roles_and_only_when_allowed() -> None:
    assert not may_grant(Role.TOWNSHIP_OFFICER, Role.GRID_WORKER)  # the county has not allowed it
    allowed = {r for r in Role if may_grant(Role.TOWNSHIP_OFFICER, r, township_allowed=True)}
    assert allowed == {Role.VILLAGE_CADRE, Role.GRID_WORKER}
    assert all(ROLE_RANK[r] < ROLE_RANK[Role.TOWNSHIP_OFFICER] for r in allowed)


def test_other_roles_grant_nothing_and_grantable_lists_highest_first() -> None:
    for role in (Role.VILLAGE_CADRE, Role.GRID_WORKER, Role.AUDITOR, Role.DEPT_OFFICER, Role.INSURER):
        assert not any(may_grant(role, r, township_allowed=True) for r in Role)
    assert grantable([Role.COUNTY_ADMIN])[0] == Role.COUNTY_ADMIN
    assert grantable([Role.TOWNSHIP_OFFICER], township_allowed=True) == [Role.VILLAGE_CADRE, Role.GRID_WORKER]
    assert grantable([Role.TOWNSHIP_OFFICER]) == []


def test_roles_are_held_at_their_level() -> None:
    assert role_area_problem(Role.GRID_WORKER, Level.VILLAGE) is None
    assert role_area_problem(Role.TOWNSHIP_OFFICER, Level.TOWNSHIP) is None
    zh, en = role_area_problem(Role.COUNTY_ADMIN, Level.TOWNSHIP) or ("", "")
    assert "县级" in zh and "county" in en
    assert role_area_problem(Role.GRID_WORKER, None) is not None


def test_membership_counts_from_start_until_the_day_before_end() -> None:
    d = dt.date(2026, 3, 1)
    assert membership_current(d, None, d) and not membership_current(d, None, d - dt.timedelta(days=1))
    assert membership_current(d, dt.date(2026, 3, 2), d) and not membership_current(
        d, dt.date(2026, 3, 2), dt.date(2026, 3, 2)
    )
    assert membership_dates_problem(d, d - dt.timedelta(days=1)) is not None
    assert membership_dates_problem(d, d) is None and membership_dates_problem(d, None) is None


def test_every_capability_has_a_chinese_label() -> None:
    assert set(CAP_LABELS) == set(Cap)


def test_a_refused_write_names_the_right_in_words_not_its_code() -> None:
    """The 403 of accounts.middleware (pages) and bangfu.api (API) is read by a person."""
    from bangfu.accounts.domain.administration import refusal

    err = refusal(frozenset({Cap.MANAGE_USERS, Cap.CLAIM_SURVEY}))
    assert "管理账号和角色" in err.zh and "防贫保查勘" in err.zh
    assert all(c.value not in err.zh and c.value not in err.en for c in Cap)
