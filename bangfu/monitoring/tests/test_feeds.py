"""Department feeds: template, upload, API push, row-level errors, all-or-nothing, idempotency, access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.core.excel import read_table
from bangfu.monitoring.models import FeedBatch, FeedRow, Warning
from bangfu.monitoring.tests.helpers import id_of, rules_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def edu(world):
    u = accounts.user_create(username="edu", password="test-pass-123", display_name="教育局")
    accounts.membership_grant(user=u, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="县教育局")
    return u


def school_row(member, tuition: str = "9000", when: dt.date | None = None, **extra: str) -> dict[str, str]:
    row = {
        "身份证号": id_of(member),
        "缴费日期": (when or timezone.localdate()).isoformat(),
        "学费": tuition,
        "住宿费": "1200",
        "其他费用": "0",
        "已获资助": "0",
    }
    row.update(extra)
    return row


def test_push_stores_matches_and_raises_school_warning(world, edu, api_for) -> None:
    rules_in_force(world)
    h = world.households["h1"]
    member = h.members.last()
    resp = api_for(edu).post(
        "/api/v1/monitoring/feeds/school",
        {"period": "2025-09", "rows": [school_row(member)]},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    row = FeedRow.objects.get()
    assert (row.household_id, row.member_id, str(row.amount)) == (h.pk, member.pk, "10200.00")
    assert "身份证号" not in row.data  # the number itself is not kept
    w = Warning.objects.get(household=h, rule_code="school_cost")
    assert w.explanation == "教育支出（扣除资助） 10,200 元，高于阈值 8,000 元"
    again = api_for(edu).post(
        "/api/v1/monitoring/feeds/school",
        {"period": "2025-09", "rows": [school_row(member)]},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["created"] is False
    assert FeedBatch.objects.count() == 1 and FeedRow.objects.count() == 1


def test_bad_rows_reject_whole_batch_with_row_errors(world, edu, api_for) -> None:
    m1, m3 = world.households["h1"].members.first(), world.households["h3"].members.first()
    future = timezone.localdate() + dt.timedelta(days=3)
    rows = [
        school_row(m1),  # fine
        school_row(m1, tuition="-5"),  # negative amount
        school_row(m3, when=future),  # future date
        {**school_row(m1), "身份证号": "511133196001010019"},  # valid checksum? maybe not: reported either way
        {**school_row(m1), "身份证号": "110101199003077777"},  # nobody has it (or bad check digit)
    ]
    resp = api_for(edu).post("/api/v1/monitoring/feeds/school", {"rows": rows}, content_type="application/json")
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert {e["row"] for e in errors} == {3, 4, 5, 6}
    assert any("负数" in e["message"] for e in errors) and any("晚于今天" in e["message"] for e in errors)
    assert "整批未保存" in resp.json()["message"]
    assert FeedBatch.objects.count() == 0 and FeedRow.objects.count() == 0


def test_wrong_department_is_refused(world, api_for) -> None:
    m = world.households["h1"].members.first()
    resp = api_for(world.dept).post(
        "/api/v1/monitoring/feeds/school", {"rows": [school_row(m)]}, content_type="application/json"
    )  # world.dept is 医保, not 教育
    assert resp.status_code == 403 and "教育" in resp.json()["message"]
    assert FeedBatch.objects.count() == 0


def test_medical_feed_from_the_medical_department(world, api_for) -> None:
    rules_in_force(world)
    m = world.households["h2"].members.first()
    row = {
        "身份证号": id_of(m),
        "结算日期": timezone.localdate().isoformat(),
        "医疗总费用": "60000",
        "基本医保报销": "30000",
        "大病保险报销": "12000",
        "医疗救助": "5000",
    }
    resp = api_for(world.dept).post(
        "/api/v1/monitoring/feeds/medical", {"rows": [row]}, content_type="application/json"
    )
    assert resp.status_code == 201
    assert str(FeedRow.objects.get().amount) == "13000.00"  # left after the three layers
    assert Warning.objects.filter(household=world.households["h2"], rule_code="medical_cost").exists()


def test_template_roundtrip_and_wrong_template(world, edu, client_for) -> None:
    c = client_for(edu)
    resp = c.get("/monitoring/feeds/template/school/")
    header, _ = read_table(resp.content, "t.xlsx", sheet="学生就学费用")
    assert header[:4] == ["身份证号", "姓名", "缴费日期", "学费"]
    csv = "身份证号,日期,金额\n1,2,3\n".encode()
    f = io.BytesIO(csv)
    f.name = "wrong.csv"
    page = c.post("/monitoring/feeds/", {"kind": "school", "file": f})
    assert page.status_code == 422 and "缺少列" in page.content.decode()
    assert FeedBatch.objects.count() == 0


def test_csv_upload_page_stores_batch(world, edu, client_for) -> None:
    m = world.households["h1"].members.first()
    r = school_row(m, tuition="3000")
    f = io.BytesIO(("\ufeff" + ",".join(r) + "\n" + ",".join(r.values()) + "\n").encode())
    f.name = "school.csv"
    resp = client_for(edu).post("/monitoring/feeds/", {"kind": "school", "period": "2025-09", "file": f})
    assert resp.status_code == 302
    assert FeedBatch.objects.get().rows == 1


def test_feed_page_access(world, edu, client_for) -> None:
    m = world.households["h1"].members.first()
    from bangfu.monitoring import services

    services.feed_ingest(actor=edu, kind="school", rows=[school_row(m, tuition="100")])
    assert "学生就学费用" in client_for(world.county).get("/monitoring/feeds/").content.decode()
    for outsider in (world.t2, world.gw2):
        body = client_for(outsider).get("/monitoring/feeds/").content.decode()
        assert "学生就学费用</td>" not in body
