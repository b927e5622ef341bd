"""Duties kept apart in casework: verifier/deliberator ≠ township reviewer ≠ county approver,
unless the county recorded a delegation (accounts.Delegation), for identification and elimination."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.casework import services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseEvent, PublicNotice
from bangfu.casework.tests.test_services import TODAY, _monitored, day, open_case, run_to
from bangfu.core.errors import Forbidden
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db
VOTE = {"vote_result": "passed", "present": 12, "votes_for": 11, "votes_against": 1}


def _second_county_admin(world):
    u = accounts.user_create(username="county_b", password=PASSWORD, display_name="县审批二")
    accounts.membership_grant(user=u, role=Role.COUNTY_ADMIN, area_code=world.area_county.code)
    return u


def _to_publicized_by_the_township_officer(world) -> Case:
    """The township officer (who also holds the village capability) deliberates this case himself."""
    case = run_to(world, open_case(world), State.DATA_COMPARED)
    case = services.case_step(
        actor=world.t1,
        case=case,
        event="deliberate",
        on=day(9),
        data={"minutes": "同意", "attendees": "村两委5人", **VOTE},
    )
    case = services.case_step(actor=world.v1, case=case, event="publish", on=day(10))
    PublicNotice.objects.filter(case=case).update(ends_on=day(15))
    return case


def _refused(actor, case: Case, event: str, on: dt.date, words: str, data=None) -> None:
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(Forbidden) as refused:
        services.case_step(actor=actor, case=case, event=event, on=on, data=data or {})
    assert words in refused.value.zh and "delegation" in refused.value.en
    case.refresh_from_db()
    assert CaseEvent.objects.filter(case=case).count() == before  # nothing recorded


def test_who_deliberated_does_not_give_the_township_review(world, params) -> None:
    case = _to_publicized_by_the_township_officer(world)
    _refused(world.t1, case, "township_review", day(16), "不能再进行乡镇审核")
    assert case.state == State.PUBLICIZED
    case = services.case_step(actor=world.county, case=case, event="township_review", on=day(16))
    assert case.state == State.TOWNSHIP_REVIEWED


def test_the_township_reviewer_does_not_give_the_county_approval_without_a_delegation(world, params) -> None:
    case = _to_publicized_by_the_township_officer(world)
    case = services.case_step(actor=world.county, case=case, event="township_review", on=day(16))
    approval = {"monitoring_type": "突发严重困难户", "risk_codes": ["因病"]}
    _refused(world.county, case, "approve", day(17), "不能再进行县级审定", approval)
    delegation = accounts.delegation_grant(
        actor=_second_county_admin(world),
        delegate_id=world.county.pk,
        duty_pair="case.township-county",
        area_code=world.area_county.code,
        valid_from=day(17),
        valid_to=None,
        reason="县乡村振兴局仅一名审批人员，经局党组研究同意",
    )
    case = services.case_step(actor=world.county, case=case, event="approve", on=day(17), data=approval)
    assert case.state == State.COUNTY_APPROVED
    assert case.events.get(event="approve").data["delegation"] == delegation.pk


def test_a_delegation_for_another_pair_or_out_of_its_dates_does_not_help(world, params) -> None:
    case = _to_publicized_by_the_township_officer(world)
    case = services.case_step(actor=world.county, case=case, event="township_review", on=day(16))
    other = _second_county_admin(world)
    for pair, start in (("case.verify-township", day(1)), ("case.township-county", day(18))):
        accounts.delegation_grant(
            actor=other,
            delegate_id=world.county.pk,
            duty_pair=pair,
            area_code=world.area_county.code,
            valid_from=start,
            valid_to=None,
            reason="测试",
        )
    approval = {"monitoring_type": "突发严重困难户", "risk_codes": ["因病"]}
    _refused(world.county, case, "approve", day(17), "不能再进行县级审定", approval)


def test_elimination_keeps_the_same_duties_apart(world, params) -> None:
    case = _monitored(world)
    m = services.measure_add(
        actor=world.v1, case=case, category="health", title="大病医疗救助", responsible="王", starts_on=day(40)
    )
    services.measure_set_status(actor=world.v1, measure=m, status="done")
    case = services.case_step(
        actor=world.v1, case=case, event="propose_elimination", on=TODAY, data={"rigid_expenditure_resolved": "1"}
    )
    case = services.case_step(actor=world.t1, case=case, event="verify", on=TODAY, data={"survey": "收入稳定"})
    case = services.case_step(
        actor=world.v1, case=case, event="deliberate", on=TODAY, data={"minutes": "同意", "attendees": "村两委", **VOTE}
    )
    case = services.case_step(actor=world.v1, case=case, event="publish", on=TODAY)
    PublicNotice.objects.filter(case=case, kind="eliminate").update(
        starts_on=TODAY - dt.timedelta(days=6), ends_on=TODAY - dt.timedelta(days=2)
    )
    Case.objects.filter(pk=case.pk).update(state_since=TODAY - dt.timedelta(days=6))
    case.refresh_from_db()
    _refused(world.t1, case, "township_review", TODAY, "不能再进行乡镇审核")  # t1 verified the elimination
    case = services.case_step(actor=world.county, case=case, event="township_review", on=TODAY)
    _refused(world.county, case, "approve", TODAY, "不能再进行县级审定")
    case = services.case_step(actor=_second_county_admin(world), case=case, event="approve", on=TODAY)
    assert case.state == State.RISK_ELIMINATED


def test_the_step_page_shows_the_refusal_in_the_readers_language(world, params, client_for) -> None:
    case = _to_publicized_by_the_township_officer(world)
    PublicNotice.objects.filter(case=case).update(ends_on=TODAY - dt.timedelta(days=1))
    url = reverse("casework:case_step", args=[case.pk])
    r = client_for(world.t1).post(url, {"event": "township_review"})
    body = r.content.decode()
    assert r.status_code == 403 and "不能再进行乡镇审核" in body and "may not give the township review" not in body
    english = client_for(world.t1)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = english.post(url, {"event": "township_review"}).content.decode()
    assert "may not give the township review" in body and "不能再进行乡镇审核" not in body
    case.refresh_from_db()
    assert case.state == State.PUBLICIZED
