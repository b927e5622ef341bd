"""The department officer's page (UX review journey 4, P1): the template downloaded from the page is
filled in with openpyxl, as Excel saves it, and uploads; a failed upload keeps the type and period and
shows the error as one; the page says what the delivery matched and what the screening found; an
officer is offered only their department's feed types."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.monitoring.models import FeedBatch, Warning
from bangfu.monitoring.tests.helpers import id_of, rules_in_force
from bangfu.testing import fill_template, upload

pytestmark = pytest.mark.django_db


def _medical(member, total: str = "60000", when: object = None) -> dict[str, object]:
    return {
        "身份证号": id_of(member),
        "姓名": member.name,
        "结算日期": when or timezone.localdate().isoformat(),
        "医疗总费用": total,
        "基本医保报销": "30000",
        "大病保险报销": "12000",
        "医疗救助": "5000",
    }


def _template_from_page(client) -> bytes:
    page = client.get(reverse("monitoring:feed_list")).content.decode()
    link = reverse("monitoring:feed_template", args=["medical"])
    assert link in page
    return client.get(link).content


def test_the_feed_template_round_trips_through_the_page(world, client_for) -> None:
    rules_in_force(world)
    c = client_for(world.dept)  # 医保
    template = _template_from_page(c)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    assert wb.active.title == "医疗费用结算"  # opens on its data sheet
    assert [c.value for c in wb["医疗费用结算"][1]][:3] == ["身份证号", "姓名", "结算日期"]
    assert wb.sheetnames[-1] != "医疗费用结算" and "2026-03-01" in str(list(wb["填写说明"].values))
    h1, h2 = world.households["h1"], world.households["h2"]
    rows = [_medical(h2.members.first()), _medical(h1.members.first(), total="47000", when=timezone.localdate())]
    r = c.post(
        reverse("monitoring:feed_list"),
        {"kind": "medical", "period": "2026-11", "file": upload(fill_template(template, rows))},
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    batch = FeedBatch.objects.get()
    assert (batch.rows, batch.period) == (2, "2026-11")
    page = c.get(r["Location"]).content.decode()
    assert "已保存 2 行，全部匹配到登记人员（2 户）" in page
    assert Warning.objects.filter(household=h2, rule_code="medical_cost").exists()
    assert f"重新筛查已完成，发现新预警 {Warning.objects.count()} 条" in page


def test_a_failed_upload_keeps_the_type_and_period_and_reads_as_an_error(world, client_for) -> None:
    c = client_for(world.dept)
    template = _template_from_page(c)
    bad = _medical(world.households["h1"].members.first(), when="2026/13/40")
    r = c.post(
        reverse("monitoring:feed_list"),
        {"kind": "medical", "period": "2026-03", "file": upload(fill_template(template, [bad]))},
    )
    body = r.content.decode()
    assert r.status_code == 422
    assert 'id="report" role="alert"' in body and "整批未保存" in body and "结算日期" in body
    assert 'value="2026-03"' in body and '<option value="medical" selected>' in body
    assert not FeedBatch.objects.exists()


def test_an_officer_is_offered_and_allowed_only_their_departments_feeds(world, client_for) -> None:
    c = client_for(world.dept)  # 医保: medical settlements only
    body = c.get(reverse("monitoring:feed_list")).content.decode()
    assert '<option value="medical"' in body and '<option value="death"' not in body
    assert reverse("monitoring:feed_template", args=["death"]) not in body
    death = "身份证号,死亡日期\n" + f"{id_of(world.households['h1'].members.first())},{dt.date(2026, 1, 2)}\n"
    r = c.post(reverse("monitoring:feed_list"), {"kind": "death", "file": upload(death.encode(), "death.csv")})
    assert r.status_code == 403 and not FeedBatch.objects.exists()


def test_the_delivery_links_its_warnings_for_those_who_handle_them(world, client_for) -> None:
    rules_in_force(world)
    c = client_for(world.dept)
    data = fill_template(_template_from_page(c), [_medical(world.households["h2"].members.first())])
    c.post(reverse("monitoring:feed_list"), {"kind": "medical", "file": upload(data)})
    batch = FeedBatch.objects.get()
    link = f"{reverse('monitoring:warning_list')}?batch={batch.pk}"
    assert link in client_for(world.county).get(reverse("monitoring:feed_list")).content.decode()
    listed = client_for(world.county).get(f"{link}&status=all").content.decode()
    assert world.households["h2"].number in listed
    assert link not in c.get(reverse("monitoring:feed_list")).content.decode()  # the department sees the count only
    assert world.households["h2"].number not in client_for(world.t2).get(f"{link}&status=all").content.decode()
