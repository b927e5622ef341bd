"""Pages and API through the HTTP client, each with the access trio (t1 acts; t2 and gw2 get 404)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.casework import services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, PublicNotice, SelfReportAttempt, Visit
from bangfu.testing import new_id_number

pytestmark = pytest.mark.django_db
VOTE = {"vote_result": "passed", "present": 12, "votes_for": 11, "votes_against": 1}

TODAY = timezone.localdate()


def _case(world) -> Case:
    return services.case_open(
        actor=world.gw1,
        household=world.households["h1"],
        source="grid",
        summary="因病",
        on=TODAY - dt.timedelta(days=3),
    )


def test_case_pages_for_the_area_and_404_for_outsiders(world, params, client_for) -> None:
    case = _case(world)
    page = client_for(world.t1).get(reverse("casework:case_detail", args=[case.pk]))
    assert page.status_code == 200 and "乡镇受理" in page.content.decode()
    listing = client_for(world.t1).get(reverse("casework:case_list"))
    assert f"#{case.pk}" in listing.content.decode()
    for who in (world.t2, world.gw2):
        c = client_for(who)
        assert c.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
        assert c.post(reverse("casework:case_step", args=[case.pk]), {"event": "accept"}).status_code in (403, 404)
        assert f"#{case.pk}" not in c.get(reverse("casework:case_list")).content.decode()
    case.refresh_from_db()
    assert case.state == State.LEAD and case.events.count() == 1
    ok = client_for(world.t1).post(reverse("casework:case_step", args=[case.pk]), {"event": "accept"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_step_form_shows_bilingual_guard_errors(world, params, client_for) -> None:
    case = _case(world)
    client_for(world.t1).post(reverse("casework:case_step", args=[case.pk]), {"event": "accept"})
    r = client_for(world.v1).post(reverse("casework:case_step", args=[case.pk]), {"event": "verify", "survey": "x"})
    assert r.status_code == 422 and "承诺授权书" in r.content.decode() and "consent" in r.content.decode()


def test_case_list_query_count_does_not_grow(world, params, client_for, django_assert_max_num_queries) -> None:
    _case(world)
    c = client_for(world.county)
    c.get(reverse("casework:case_list"))
    for h in (world.households["h2"], world.households["h3"]):
        services.case_open(actor=None, household=h, source="hotline", summary="热线反映")
    with django_assert_max_num_queries(14):
        assert c.get(reverse("casework:case_list")).status_code == 200


def test_notice_page_and_pdf_mask_the_id(world, params, client_for) -> None:
    case = _case(world)
    case = services.case_step(actor=world.t1, case=case, event="accept")
    case = services.case_step(
        actor=world.v1, case=case, event="verify", data={"consent_signed_on": TODAY.isoformat(), "survey": "核实"}
    )
    case = services.case_step(
        actor=world.t1,
        case=case,
        event="compare",
        data={"vehicle": "无", "property": "无", "business": "无", "payroll": "无"},
    )
    case = services.case_step(
        actor=world.v1, case=case, event="deliberate", data={"minutes": "同意", "attendees": "7人", **VOTE}
    )
    case = services.case_step(actor=world.v1, case=case, event="publish")
    notice = PublicNotice.objects.get(case=case)
    page = client_for(world.t1).get(reverse("casework:notice", args=[notice.pk]))
    assert page.status_code == 200 and "****" in page.content.decode() and "雪口山乡人民政府" in page.content.decode()
    pdf = client_for(world.t1).get(reverse("casework:notice_pdf", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    for who in (world.t2, world.gw2):
        assert client_for(who).get(reverse("casework:notice_pdf", args=[notice.pk])).status_code == 404


def test_visit_form_logs_and_reports_a_risk(world, params, client_for) -> None:
    h = world.households["h1"]
    url = reverse("casework:visit_form", args=[h.pk])
    for who in (world.t2, world.gw2):
        assert client_for(who).post(url, {"mode": "in_person", "visited_on": TODAY.isoformat()}).status_code in (
            403,
            404,
        )
    assert Visit.objects.count() == 0
    r = client_for(world.gw1).post(
        url,
        {
            "mode": "in_person",
            "visited_on": TODAY.isoformat(),
            "checks": ["schooling"],
            "note": "长女考上大学，学费1.9万元",
            "report_risk": "1",
        },
    )
    assert r.status_code == 302
    visit = Visit.objects.get()
    assert visit.lead is not None and visit.lead.state == State.LEAD and visit.lead.source_ref == f"visit:{visit.pk}"
    bad = client_for(world.gw1).post(url, {"mode": "fax", "visited_on": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert bad.status_code == 422 and Visit.objects.count() == 1


def test_my_households_puts_monitored_first_and_counts_what_is_due(world, params, client_for) -> None:
    page = client_for(world.gw1).get(reverse("casework:my_households"))
    body = page.content.decode()
    assert page.status_code == 200 and world.households["h1"].head_name in body
    assert world.households["h2"].head_name not in body  # gw2's grid


def test_compliance_is_scoped(world, params, client_for) -> None:
    services.visit_log(actor=world.gw1, household=world.households["h1"], visited_on=TODAY, mode="in_person")
    by_township = {"level": "township"}
    body = client_for(world.county).get(reverse("casework:compliance"), by_township).content.decode()
    assert "雪口山乡" in body and "民建镇" in body
    assert "民建镇" not in client_for(world.t1).get(reverse("casework:compliance"), by_township).content.decode()


def _no_token(html: str) -> str:
    """The page without what differs on every answer: the CSRF token and the random reference."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"SB\d{8}-[A-Z2-9]{6}", "SB-REF", html)


def _report(client, village: str, id_number: str, **extra: str):
    data = {
        "name": "李四",
        "id_number": id_number,
        "phone": "13800000000",
        "village": village,
        "hardship": "疾病",
        "description": "家人突发重病，住院费用很高",
        **extra,
    }
    return client.post(reverse("casework:self_report"), data, REMOTE_ADDR="10.0.0.9")


def test_self_report_creates_a_lead_without_login_and_reveals_nothing(world, params, client) -> None:
    assert client.get(reverse("casework:self_report")).status_code == 200
    registered = world.households["h1"].members.first()
    from bangfu.registry.selectors import member_full_id

    registered_id = member_full_id(world.county, registered)
    a = _report(client, world.v1a.code, registered_id)
    done_a = client.get(a.url).content.decode()
    b = _report(client, world.v1a.code, new_id_number())
    done_b = client.get(b.url).content.decode()
    assert a.status_code == b.status_code == 302
    # same answer for a registered and an unknown person (the CSRF token differs per response)
    assert _no_token(done_a) == _no_token(done_b) and "申报已收到" in done_a
    leads = Case.objects.filter(source="self_report").order_by("pk")
    assert [c.household_id for c in leads] == [world.households["h1"].pk, None]
    assert leads[1].due_on is not None and leads[1].reporter_id_masked.count("*") == 12


def test_self_report_validation_writes_no_case(world, params, client) -> None:
    r = _report(client, world.v1a.code, "123", phone="12", description="")
    body = r.content.decode()
    assert r.status_code == 422 and "身份证号应为18位" in body and "11位手机号" in body
    assert Case.objects.count() == 0 and SelfReportAttempt.objects.count() == 1


def test_self_report_rate_limits_per_id_and_per_address(world, params, client) -> None:
    same_id = new_id_number()
    assert _report(client, world.v1a.code, same_id).status_code == 302
    assert _report(client, world.v1a.code, same_id).status_code == 302
    limited = _report(client, world.v1a.code, same_id)
    assert limited.status_code == 429 and "请勿重复提交" in limited.content.decode()
    for _ in range(3):  # the refused attempt above was not counted: five went through
        assert _report(client, world.v1a.code, new_id_number()).status_code == 302
    blocked = _report(client, world.v1a.code, new_id_number())
    assert blocked.status_code == 429 and "12317" in blocked.content.decode()
    assert Case.objects.filter(source="self_report").count() == 5
    other = client.post(reverse("casework:self_report"), {"village": world.v1a.code}, REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 422  # another address is not blocked


def test_api_case_steps_with_access_trio(world, params, api_for) -> None:
    h = world.households["h1"]
    r = api_for(world.gw1).post(
        "/api/v1/casework/cases",
        {"household_id": h.pk, "source": "grid", "summary": "因学"},
        content_type="application/json",
    )
    assert r.status_code == 201
    case_id = r.json()["id"]
    for who in (world.t2, world.gw2):
        c = api_for(who)
        assert c.get(f"/api/v1/casework/cases/{case_id}").status_code == 404
        assert c.post(
            f"/api/v1/casework/cases/{case_id}/steps", {"event": "accept"}, content_type="application/json"
        ).status_code in (403, 404)
    forbidden = api_for(world.v1).post(
        f"/api/v1/casework/cases/{case_id}/steps", {"event": "accept"}, content_type="application/json"
    )
    assert forbidden.status_code == 403 and forbidden.json()["message_en"]
    ok = api_for(world.t1).post(
        f"/api/v1/casework/cases/{case_id}/steps", {"event": "accept"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    detail = api_for(world.v1).get(f"/api/v1/casework/cases/{case_id}").json()
    assert [e["event"] for e in detail["events"]] == ["open", "accept"] and detail["steps_allowed"] == [
        "verify",
        "reject",
    ]
    v = api_for(world.gw1).post(
        "/api/v1/casework/visits",
        {"household_id": h.pk, "visited_on": TODAY.isoformat(), "mode": "phone"},
        content_type="application/json",
    )
    assert v.status_code == 201
    assert (
        api_for(world.gw2)
        .post(
            "/api/v1/casework/visits",
            {"household_id": h.pk, "visited_on": TODAY.isoformat(), "mode": "phone"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert Visit.objects.count() == 1
    mine = api_for(world.gw1).get("/api/v1/casework/my-households").json()
    assert [m["household_id"] for m in mine] == [h.pk] and mine[0]["done"] == 0  # a phone call is no home visit
