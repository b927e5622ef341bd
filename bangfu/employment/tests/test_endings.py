"""Ending a labour contract and a welfare post from the pages: the officer of the area does it, the
neighbouring township's officer and another grid's worker get 404, a role that only sees gets 403,
nothing changes for them; afterwards the KPI, payroll and the per-household post limit follow."""

from __future__ import annotations

import datetime as dt
import html as markup
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from bangfu.core.models import AuditEvent
from bangfu.employment import inputs, selectors, services
from bangfu.employment.models import Contract, Payslip, WelfarePost
from bangfu.employment.tests.conftest import Story, english, grid, hire
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db
END = {"end": "2025-03-01", "reason": "resigned"}


def shown(response: Any) -> str:
    return markup.unescape(response.content.decode())


def people(story: Story) -> list[Any]:
    return list(registry.members_of(story.world.county, story.a.pk))


def ending(c: Contract) -> tuple[Any, str, str]:
    c.refresh_from_db()
    return c.end, c.end_code, c.end_reason


def met(story: Story, on: dt.date) -> bool:
    row = next(r for r in selectors.site_kpi(story.world.t1, story.site.pk, on).rows if r.household.pk == story.a.pk)
    return row.verdict.met


def test_officer_ends_a_contract_and_the_kpi_and_payroll_follow(story: Story, client_for: Any) -> None:
    world = story.world
    c = hire(world.t1, story, people(story)[0])
    url = reverse("employment:contract_end", args=[c.pk])
    t1 = client_for(world.t1)
    form = shown(t1.get(url))
    assert 'id="end-form"' in form and "吉石罗布" in form and "车间停产关闭" in form
    for outsider in (world.t2, world.gw2, story.stranger, world.insurer):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, END).status_code in (403, 404)
    for onlooker in (world.auditor,):  # sees the contract, may not change it
        assert client_for(onlooker).get(url).status_code == 403
        assert client_for(onlooker).post(url, END).status_code == 403
    assert ending(c) == (None, "", "") and not AuditEvent.objects.filter(action="contract_end").exists()

    done = t1.post(url, END | {"note": "回原籍务工"})
    assert done.status_code == 302 and done["Location"] == reverse("employment:workshop_detail", args=[c.workshop_id])
    assert ending(c) == (dt.date(2025, 3, 1), "resigned", "回原籍务工")
    assert AuditEvent.objects.get(action="contract_end").data == {"end": "2025-03-01", "reason": "resigned"}

    assert met(story, dt.date(2025, 2, 28)) and not met(story, dt.date(2025, 3, 1))
    payroll = reverse("employment:payroll", args=[story.workshop.pk])
    assert t1.post(payroll, grid(c, "2025-02", pieces="100")).status_code == 302  # the last month worked
    refused = t1.post(payroll, grid(c, "2025-03", pieces="100"))
    html = shown(refused)
    assert refused.status_code == 422 and f'data-contract="{c.pk}"' not in html  # not on March's sheet at all
    assert [p.month for p in Payslip.objects.filter(contract=c)] == [dt.date(2025, 2, 1)]
    assert selectors.payroll_sheet(world.t1, story.workshop.pk, dt.date(2025, 3, 1)) == []

    page = shown(t1.get(reverse("employment:workshop_detail", args=[story.workshop.pk])))
    assert "2025-03-01 离职 · 本人辞职" in page and url not in page  # no second "end" link
    assert 'id="end-form"' not in shown(t1.get(url))


def test_ending_a_contract_twice_or_before_it_starts_is_refused_in_both_languages(
    story: Story, client_for: Any
) -> None:
    c = hire(story.world.t1, story, people(story)[0])
    url = reverse("employment:contract_end", args=[c.pk])
    t1, en = client_for(story.world.t1), english(client_for(story.world.t1))
    for day in ("2024-09-30", "2024-10-01"):
        early = t1.post(url, END | {"end": day})
        html = shown(early)
        assert early.status_code == 422 and "终止日期须晚于合同起始日期2024-10-01" in html and f'value="{day}"' in html
        assert "the end date must be after the contract's start, 2024-10-01" in shown(en.post(url, END | {"end": day}))
    no_reason = {"end": "2025-03-01", "reason": ""}
    assert "请从列表中选择原因" in shown(t1.post(url, no_reason))
    assert "choose a reason from the list" in shown(en.post(url, no_reason))
    other = {"end": "2025-03-01", "reason": "other"}
    assert "原因为“其他”时请写明具体情况" in shown(t1.post(url, other)) and "say what happened" in shown(
        en.post(url, other)
    )
    services.payslip_record(
        actor=story.world.t1, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=26
    )
    assert "已录入2025-01的工资，终止日期须晚于2025-01-01" in shown(t1.post(url, END | {"end": "2025-01-01"}))
    assert "payroll for 2025-01 is entered" in shown(en.post(url, END | {"end": "2025-01-01"}))
    assert ending(c) == (None, "", "")

    assert t1.post(url, END).status_code == 302
    again = t1.post(url, END | {"end": "2025-04-01"})
    html = shown(again)
    assert again.status_code == 409 and "该合同已于2025-03-01终止，不能重复终止" in html
    assert "This contract already ended on 2025-03-01" in shown(en.post(url, END | {"end": "2025-04-01"}))
    assert ending(c) == (dt.date(2025, 3, 1), "resigned", "")


def test_the_operator_ends_its_own_workers_contract_through_the_api(story: Story, api_for: Any) -> None:
    c = hire(story.world.t1, story, people(story)[0])
    url = f"/api/v1/employment/contracts/{c.pk}/end"

    def send(user: Any, body: dict[str, Any]) -> Any:
        return api_for(user).post(url, data=json.dumps(body), content_type="application/json")

    for outsider in (story.world.t2, story.world.gw2, story.stranger):
        assert send(outsider, END).status_code in (403, 404)
    assert send(story.world.auditor, END).status_code == 403
    free_text = send(story.enterprise, END | {"reason": "辞职"})
    assert free_text.status_code == 422 and free_text.json()["errors"][0]["field"] == "reason"
    assert ending(c) == (None, "", "")
    done = send(story.enterprise, {"end": "2025-06-01", "reason": "workshop_closed"})
    assert done.status_code == 200 and done.json()["end_code"] == "workshop_closed"
    assert send(story.enterprise, END).status_code == 409


def appoint(story: Story, member: Any, start: str = "2025-01-01") -> WelfarePost:
    values = {"member_id": member.pk, "post_type": "生态护林员", "level": "village", "start": start}
    return services.welfare_post_create(actor=story.world.t1, post=inputs.post_input(values | {"monthly_pay": "500"}))


def wage(story: Story, year: int) -> Decimal:
    statement = registry.statement_for(story.world.county, story.a.pk, year)
    return statement.wage if statement else Decimal("0")


def test_officer_ends_a_welfare_post_and_the_household_may_have_one_again(story: Story, client_for: Any) -> None:
    world = story.world
    jishi, wife = people(story)
    post = appoint(story, wife)
    services.welfare_post_months(actor=world.t1, post=post, months_served=12)
    assert wage(story, 2025) == Decimal("6000.00")
    t1 = client_for(world.t1)
    again = {"post_type": "保洁员", "level": "village", "start": "2025-03-01", "monthly_pay": "300"}
    again |= {"id_number": registry.member_full_id(world.county, jishi)}
    assert t1.post(reverse("employment:post_create"), again).status_code == 422  # one post per household

    url = reverse("employment:post_end", args=[post.pk])
    data = {"end": "2025-02-28", "reason": "assessment_failed"}
    assert "考核不合格" in shown(t1.get(url))
    for outsider in (world.t2, world.gw2, story.enterprise):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, data).status_code in (403, 404)
    assert client_for(world.auditor).post(url, data).status_code == 403
    post.refresh_from_db()
    assert (post.end, post.end_code, post.months_served) == (dt.date(2025, 12, 31), "", 12)

    assert t1.post(url, data).status_code == 302
    post.refresh_from_db()
    assert (post.end, post.end_code, post.months_served) == (dt.date(2025, 2, 28), "assessment_failed", 2)
    assert wage(story, 2025) == Decimal("1000.00")  # two months served, not twelve
    assert selectors.employed_member_ids([wife.pk], dt.date(2025, 2, 28)) == {wife.pk}
    assert selectors.employed_member_ids([wife.pk], dt.date(2025, 3, 1)) == set()
    assert "退岗：考核不合格" in shown(t1.get(reverse("employment:post_list")))

    assert t1.post(reverse("employment:post_create"), again).status_code == 302
    assert WelfarePost.objects.get(member=jishi).start == dt.date(2025, 3, 1)


def test_ending_a_post_twice_or_outside_its_year_is_refused_in_both_languages(story: Story, client_for: Any) -> None:
    post = appoint(story, people(story)[1])
    url = reverse("employment:post_end", args=[post.pk])
    t1, en = client_for(story.world.t1), english(client_for(story.world.t1))
    early = t1.post(url, {"end": "2024-12-31", "reason": "moved_away"})
    html = shown(early)
    assert early.status_code == 422 and "退岗日期不能早于聘用起始日期2025-01-01" in html
    early_en = shown(en.post(url, {"end": "2024-12-31", "reason": "moved_away"}))
    assert "the end date cannot be before the start, 2025-01-01" in early_en
    late = {"end": "2026-01-01", "reason": "moved_away"}
    assert "退岗日期不能晚于聘用截止日期2025-12-31" in shown(t1.post(url, late))
    assert "after the post's last day" in shown(en.post(url, late))
    post.refresh_from_db()
    assert (post.end, post.end_code) == (dt.date(2025, 12, 31), "")

    assert t1.post(url, {"end": "2025-06-30", "reason": "moved_away"}).status_code == 302
    twice = t1.post(url, {"end": "2025-05-31", "reason": "other", "note": "补录"})
    html = shown(twice)
    assert twice.status_code == 409 and "该岗位已于2025-06-30退岗，不能重复退岗" in html
    twice_en = en.post(url, {"end": "2025-05-31", "reason": "other", "note": "补录"})
    assert "This post already ended on 2025-06-30" in shown(twice_en)
    post.refresh_from_db()
    assert (post.end, post.end_code, post.ended_reason) == (dt.date(2025, 6, 30), "moved_away", "")


def test_a_welfare_post_ends_through_the_api_for_its_officer_only(story: Story, api_for: Any) -> None:
    post = appoint(story, people(story)[1])
    url = f"/api/v1/employment/welfare-posts/{post.pk}/end"
    body = json.dumps({"end": "2025-06-30", "reason": "employed", "note": "进厂务工"})
    for outsider in (story.world.t2, story.world.gw2, story.enterprise):
        assert api_for(outsider).post(url, data=body, content_type="application/json").status_code in (403, 404)
    assert WelfarePost.objects.get().end_code == ""
    done = api_for(story.world.t1).post(url, data=body, content_type="application/json")
    assert done.status_code == 200 and (done.json()["end"], done.json()["end_code"]) == ("2025-06-30", "employed")


def test_endings_recorded_before_the_coded_list_become_other_and_keep_their_text(story: Story) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("bangfu.employment.migrations.0003_ending_reason_codes")
    jishi, wife = people(story)
    old = hire(story.world.t1, story, jishi)
    open_one = hire(story.world.t1, story, wife)
    Contract.objects.filter(pk=old.pk).update(end=dt.date(2025, 3, 1), end_reason="回家照顾老人")
    post = appoint(story, wife)
    WelfarePost.objects.filter(pk=post.pk).update(ended_reason="考核不合格")
    migration.legacy_endings_are_other(apps, None)
    assert ending(old) == (dt.date(2025, 3, 1), "other", "回家照顾老人")
    assert ending(open_one) == (None, "", "")
    post.refresh_from_db()
    assert (post.end_code, post.ended_reason) == ("other", "考核不合格")
