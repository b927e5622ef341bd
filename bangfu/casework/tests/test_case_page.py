"""The case page a reviewer can trust (UX review P3, P10, P11): the procedure as a stepper that offers only
the steps that can be taken now, the deliberation's vote, a refused step that keeps what was typed and
says each problem once, no blank 405, confirmations, evidence in place, the source in words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.casework import services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseAttachment, Visit
from bangfu.casework.tests.test_services import VOTE, day, open_case, run_to
from bangfu.core.errors import ValidationFailed
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def other_county(world):
    """An administrator of a neighbouring county: sees nothing of 马边."""
    c = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    u = accounts.user_create(username="ebian", password=PASSWORD, display_name="峨边县管理员")
    accounts.membership_grant(user=u, role=Role.COUNTY_ADMIN, area_code=c.code)
    return u


def _page(client: Client, case: Case) -> str:
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def _offered(page: str) -> list[str]:
    return re.findall(r'name="event" value="([a-z_]+)"', page)


def _publicize_today(world) -> Case:
    """A case whose notice started today: the township review must wait for its end."""
    case = run_to(world, open_case(world), State.VILLAGE_DELIBERATED)
    return services.case_step(actor=world.v1, case=case, event="publish", on=TODAY)


def test_during_the_notice_the_review_is_not_offered_and_the_page_says_until_when(world, params, client_for) -> None:
    case = _publicize_today(world)
    page = _page(client_for(world.t1), case)
    assert "township_review" not in _offered(page) and "reject" not in _offered(page)
    ends = case.notices.get().ends_on
    assert f"公示期至{ends.isoformat()}" in page and (ends + dt.timedelta(days=1)).isoformat() in page
    assert 'class="step current"' in page and "乡镇审核" in page
    assert _offered(_page(client_for(world.v1), case)) == ["object"]  # the village may record an objection


def test_after_the_notice_the_review_is_offered_and_objections_are_not(world, params, client_for) -> None:
    case = run_to(world, open_case(world), State.PUBLICIZED)  # its notice ended months ago
    assert _offered(_page(client_for(world.t1), case)) == ["township_review", "reject"]
    assert _offered(_page(client_for(world.v1), case)) == []


def test_done_steps_show_who_and_when_and_the_current_its_deadline(world, params, client_for) -> None:
    case = run_to(world, open_case(world), State.DATA_COMPARED)
    page = _page(client_for(world.county), case)
    steps = re.findall(r'<li class="step (done|current|ahead|refused)"', page)
    assert steps[:4] == ["done", "done", "done", "current"] and set(steps[4:]) == {"ahead"}
    accept = page[page.index('class="step done"') :]
    assert day(3).isoformat() in accept[:400] and "t1" in accept[:400]
    assert case.due_on is not None and (f"期限 {case.due_on.isoformat()}" in page or "已逾期" in page)


def test_a_refused_step_keeps_the_note_and_says_the_problem_once_beside_its_field(world, params, client_for) -> None:
    case = services.case_step(actor=world.t1, case=open_case(world, on=TODAY), event="accept", on=TODAY)
    url = reverse("casework:case_step", args=[case.pk])
    r = client_for(world.v1).post(url, {"event": "verify", "note": "户主在外务工，电话联系"})
    page = r.content.decode()
    assert r.status_code == 422
    assert "户主在外务工，电话联系</textarea>" in page  # what was typed stays
    assert page.count("请填写入户核查情况（排查表）") == 1 and page.count("请记录农户已签署承诺授权书") == 1
    assert "<details open>" in page or "<details open" in page
    reload = client_for(world.v1).get(url)  # the address shown stays loadable: no blank 405, the case page
    assert reload.status_code == 200 and f"#{case.pk}" in reload.content.decode()
    assert client_for(world.t2).get(url).status_code == 404  # and nothing for the other township


def test_deliberation_records_result_and_vote_and_a_contradiction_is_refused(world, params, client_for) -> None:
    case = run_to(world, open_case(world), State.DATA_COMPARED)
    url = reverse("casework:case_step", args=[case.pk])
    base = {"event": "deliberate", "on": day(9).isoformat(), "minutes": "逐户评议", "attendees": "村两委5人"}
    bad = client_for(world.v1).post(url, {**base, "vote_result": "passed", "present": "12", "votes_for": "5"})
    page = bad.content.decode()
    assert bad.status_code == 422 and "请填写反对票数" in page
    worse = client_for(world.v1).post(
        url, {**base, "vote_result": "passed", "present": "12", "votes_for": "5", "votes_against": "6"}
    )
    assert worse.status_code == 422 and "同意票未过参会人数半数" in worse.content.decode()
    ok = client_for(world.v1).post(url, {**base, **{k: str(v) for k, v in VOTE.items()}})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == State.VILLAGE_DELIBERATED and case.vote == {
        "result": "passed",
        "present": 12,
        "for": 11,
        "against": 1,
    }
    assert "参会12人，同意11票，反对1票" in _page(client_for(world.county), case)


def test_a_deliberation_that_does_not_pass_ends_the_identification(world, params) -> None:
    case = run_to(world, open_case(world), State.DATA_COMPARED)
    no = {"minutes": "多数认为收入稳定", "attendees": "村两委5人、村民代表7人"}
    vote = {"vote_result": "failed", "present": 12, "votes_for": 3, "votes_against": 9}
    with pytest.raises(ValidationFailed) as exc:  # a refusal needs its reason
        services.case_step(actor=world.v1, case=case, event="deliberate", on=day(9), data={**no, **vote})
    assert [p.field for p in exc.value.problems] == ["reason"]
    case = services.case_step(
        actor=world.v1, case=case, event="deliberate", on=day(9), data={**no, **vote}, note="评议未通过"
    )
    assert case.state == State.REJECTED
    last = case.events.order_by("-pk").first()
    assert last is not None and last.event == "reject" and last.data["vote"]["result"] == "failed"


def test_irreversible_steps_ask_with_a_summary(world, params, client_for) -> None:
    case = run_to(world, open_case(world), State.TOWNSHIP_REVIEWED)
    page = _page(client_for(world.county), case)
    head = world.households["h1"].head_name
    assert re.search(rf'data-confirm="县级审定：{head}户纳入防止返贫监测对象[^"]*"', page)
    assert re.search(rf'data-confirm="确定驳回案件#{case.pk}？驳回后本案件结束[^"]*"', page)


def test_each_steps_evidence_opens_in_place_for_the_township_and_county(
    world, params, client_for, media, other_county
) -> None:
    case = open_case(world)
    step = reverse("casework:case_step", args=[case.pk])
    files = [SimpleUploadedFile("民主评议纪要.pdf", PDF), SimpleUploadedFile("签字.jpg", JPEG)]
    assert (
        client_for(world.t1).post(step, {"event": "accept", "on": day(1).isoformat(), "files": files}).status_code
        == 302
    )
    pdf, jpg = CaseAttachment.objects.order_by("pk")
    pdf_url, jpg_url = (reverse("casework:attachment", args=[a.pk]) for a in (pdf, jpg))
    for reviewer in (world.t1, world.county):
        page = _page(client_for(reviewer), case)
        start = page.index('class="stepper"')
        stepper = page[start : page.index("</ol>", start)]  # the stepper's own list, not the breadcrumbs' before it
        assert f'<img class="thumb" src="{jpg_url}"' in stepper  # the photo of the consent, in place
        assert f'href="{pdf_url}" target="_blank"' in stepper and f'href="{pdf_url}?download=1"' in stepper
        shown = client_for(reviewer).get(pdf_url)
        assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
        assert shown["X-Content-Type-Options"] == "nosniff" and shown["Content-Security-Policy"].startswith("sandbox")
    for outsider in (other_county, world.t2):
        assert client_for(outsider).get(pdf_url).status_code == 404
        assert client_for(outsider).get(reverse("casework:case_detail", args=[case.pk])).status_code == 404


def test_a_visit_photo_shows_on_the_household_and_on_the_case_its_report_opened(
    world, params, client_for, media, other_county
) -> None:
    h = world.households["h1"]
    r = client_for(world.gw1).post(
        reverse("casework:visit_form", args=[h.pk]),
        {"mode": "in_person", "visited_on": TODAY.isoformat(), "note": "房屋漏雨", "report_risk": "1",
         "photo": SimpleUploadedFile("屋顶.jpg", JPEG)},
    )  # fmt: skip
    assert r.status_code == 302
    visit = Visit.objects.get()
    photo = reverse("casework:visit_photo", args=[visit.pk])
    household = client_for(world.t1).get(reverse("registry:household_detail", args=[h.pk])).content.decode()
    assert f'src="{photo}"' in household and f'id="visit-{visit.pk}"' in household
    assert visit.lead is not None
    page = _page(client_for(world.t1), visit.lead)
    assert f'src="{photo}"' in page
    assert f"走访记录（{TODAY.isoformat()}）" in page and f"visit:{visit.pk}" not in page
    assert f"#visit-{visit.pk}" in page  # the source links to the visit on the household page
    assert client_for(other_county).get(photo).status_code == 404


def test_other_areas_change_nothing_through_the_step_address(world, params, client_for, other_county) -> None:
    case = open_case(world)
    url = reverse("casework:case_step", args=[case.pk])
    for outsider in (other_county, world.t2):
        assert client_for(outsider).post(url, {"event": "accept"}).status_code in (403, 404)
    case.refresh_from_db()
    assert case.state == State.LEAD


def test_the_self_report_keeps_the_id_and_gives_a_reference_to_follow_it(world, params, client) -> None:
    from bangfu.casework.tests.test_pages import _report
    from bangfu.testing import new_id_number

    typed = new_id_number()
    bad = _report(client, world.v1a.code, typed, phone="123")
    page = bad.content.decode()
    assert bad.status_code == 422 and f'value="{typed}"' in page  # not retyped: only the phone was wrong
    assert page.count("请填写11位手机号或带区号的固定电话") == 1
    ok = _report(client, world.v1a.code, typed, phone="138 0000 0000")
    done = client.get(ok.url).content.decode()
    ref = re.search(r"SB\d{8}-[A-Z2-9]{6}", done)
    assert ref is not None and reverse("casework:self_report_status") in done
    status = reverse("casework:self_report_status")
    wrong = client.post(status, {"reference": ref.group(0), "phone": "13900000000"}).content.decode()
    assert "没有找到这份申报" in wrong and "等待乡镇受理" not in wrong
    found = client.post(status, {"reference": ref.group(0).lower(), "phone": "13800000000"}).content.decode()
    assert "已收到，等待乡镇受理" in found
    lead = Case.objects.get(source="self_report")
    services.case_step(actor=world.t1, case=lead, event="reject", note="重复申报")
    assert (
        "暂不纳入监测对象" in client.post(status, {"reference": ref.group(0), "phone": "13800000000"}).content.decode()
    )
    assert client.get(status).status_code == 200  # the address the answer is shown at can be reloaded
