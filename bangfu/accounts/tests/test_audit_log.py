"""The audit log is readable (issue #13): page, API and Excel for the county admin and the auditor,
scoped by the event's area code, with Chinese labels."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain import audit
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.areas.domain.codes import common_area
from bangfu.core.models import AuditEvent
from bangfu.employment.domain.transitions import Event as WorkshopEvent
from bangfu.insurance.domain.workflow import Event as ClaimEvent
from bangfu.market.domain.certification import Action
from bangfu.market.domain.orders import TABLE as ORDER_TABLE
from bangfu.monitoring.domain.lifecycle import TABLE as WARNING_TABLE
from bangfu.registry import services as registry
from bangfu.testing import PASSWORD, new_household

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def log(world):
    """world + events in both townships (t1 edits h1, an income line on h3) and a second county
    (峨边, 511132) with its own auditor and one household of its own."""
    w = world
    registry.household_update(
        actor=w.t1, household=w.households["h1"], changes={"phone": "13800000001"}, reason="电话变更"
    )
    registry.income_record(
        household_id=w.households["h3"].pk, year=YEAR, item="wage.local", amount="1200", source="manual", actor=w.t2
    )
    other = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    town = areas.area_create(code="511132100000", name="沙坪镇", parent_code=other.code)
    village = areas.area_create(code="511132100201", name="茶园村", parent_code=town.code)
    w.other_auditor = accounts.user_create(username="eb_auditor", password=PASSWORD, display_name="峨边审计")
    accounts.membership_grant(user=w.other_auditor, role=Role.AUDITOR, area_code=other.code)
    w.other_household = new_household(village, None, members=1)
    return w


def _ids(response) -> set[int]:
    return {e["id"] for e in response.json()["items"]}


def test_the_auditor_reads_who_did_what_with_chinese_labels(log, client_for) -> None:
    page = client_for(log.auditor).get("/accounts/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "修改农户信息" in html and "记录收入" in html and "电话变更" in html
    assert "household_update" not in html.split('id="audit-table"')[1]  # labels, not codes
    assert "收入项目：本地务工工资性收入" in html or "收入项目：" in html


def test_income_lines_are_recorded_with_their_village(log) -> None:
    """Before the fix income_record wrote no area code, so no scoped audit log could show it."""
    e = AuditEvent.objects.get(action="income_record", object_type="registry.incomeitem")
    assert e.area_code == log.v2a.code


def test_api_filters_person_action_object_dates_and_area(log, api_for) -> None:
    api = api_for(log.county)
    everything = api.get("/api/v1/accounts/audit").json()
    actions = {e["action"] for e in everything["items"]}
    assert {"household_update", "income_record", "household_create"} <= actions
    by_t1 = api.get("/api/v1/accounts/audit", {"person": "t1"}).json()["items"]
    assert by_t1 and all(e["actor_username"] == "t1" for e in by_t1)
    upd = api.get("/api/v1/accounts/audit", {"action": "household_update"}).json()["items"]
    assert [(e["object_id"], e["action_label"], e["reason"]) for e in upd] == [
        (str(log.households["h1"].pk), "修改农户信息", "电话变更")
    ]
    incomes = api.get("/api/v1/accounts/audit", {"object_type": "registry.incomeitem"}).json()["items"]
    assert [e["object_label"] for e in incomes] == ["收入项"] and incomes[0]["area_name"] == "民主村"
    today = timezone.localdate()
    assert api.get("/api/v1/accounts/audit", {"date_from": str(today), "date_to": str(today)}).json()["count"] > 0
    tomorrow = today + dt.timedelta(days=1)
    assert api.get("/api/v1/accounts/audit", {"date_from": str(tomorrow)}).json()["count"] == 0
    in_t2 = api.get("/api/v1/accounts/audit", {"area": log.area_t2.code}).json()["items"]
    assert in_t2 and all(e["area_code"].startswith("511133200") for e in in_t2)
    assert api.get("/api/v1/accounts/audit", {"date_from": "2026-02-30"}).status_code == 422


def test_another_countys_auditor_sees_nothing_of_ours(log, api_for, client_for) -> None:
    ours = set(AuditEvent.objects.filter(area_code__startswith="511133").values_list("pk", flat=True))
    theirs = set(AuditEvent.objects.filter(area_code__startswith="511132").values_list("pk", flat=True))
    assert ours and theirs
    assert _ids(api_for(log.auditor).get("/api/v1/accounts/audit")) >= ours
    seen = _ids(api_for(log.other_auditor).get("/api/v1/accounts/audit"))
    assert seen and not (seen & ours) and seen <= theirs
    assert api_for(log.other_auditor).get("/api/v1/accounts/audit", {"area": log.area_t1.code}).status_code == 404
    assert api_for(log.auditor).get("/api/v1/accounts/audit", {"area": "511132000000"}).status_code == 404
    page = client_for(log.other_auditor).get("/accounts/audit/").content.decode()
    assert "电话变更" not in page and "民主村" not in page
    book = client_for(log.other_auditor).get("/accounts/audit.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(book.content))["审计日志"].iter_rows(values_only=True))
    assert rows[0][0] == "时间" and all(str(r[5]).startswith("511132") for r in rows[1:])


def test_roles_without_the_capability_are_refused(log, api_for, client_for) -> None:
    for user in (log.t1, log.v1, log.gw1, log.insurer):
        assert api_for(user).get("/api/v1/accounts/audit").status_code == 403
        assert client_for(user).get("/accounts/audit/").status_code == 403
        assert client_for(user).get("/accounts/audit.xlsx").status_code == 403
    assert "审计日志" in client_for(log.auditor).get("/").content.decode()  # in the top navigation
    assert "/accounts/audit/" not in client_for(log.t1).get("/").content.decode()


def test_excel_export_follows_the_filters(log, client_for, api_for) -> None:
    book = client_for(log.county).get("/accounts/audit.xlsx", {"action": "household_update"})
    assert book.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(book.content))["审计日志"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["修改农户信息"] and rows[1][1] == "t1" and rows[1][8] == "电话变更"
    api = api_for(log.auditor).get("/api/v1/accounts/audit.xlsx", {"area": log.area_t2.code})
    rows = list(openpyxl.load_workbook(io.BytesIO(api.content))["审计日志"].iter_rows(values_only=True))
    assert len(rows) > 1 and {r[6] for r in rows[1:]} == {"民主村", "民建镇"}  # T2 and its village


def test_existing_income_events_get_their_area(log) -> None:
    e = AuditEvent.objects.get(action="income_record")
    AuditEvent.objects.filter(pk=e.pk).update(area_code="")
    migration = importlib.import_module("bangfu.registry.migrations.0004_audit_income_area")
    migration.fill(apps, None)
    e.refresh_from_db()
    assert e.area_code == log.v2a.code


# --- labels: every action a service writes has a Chinese name ------------------------------------------


def _literal_actions() -> set[str]:
    found: set[str] = set()
    for path in Path("bangfu").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        for call in re.finditer(r"audit_record\(", text):
            m = re.search(r'action="([a-z_]+)"', text[call.end() : call.end() + 400])
            if m:
                found.add(m.group(1))
    return found


def test_every_recorded_action_has_a_chinese_label() -> None:
    literal = _literal_actions()
    assert len(literal) > 60
    missing = sorted(a for a in literal if "其他" in audit.action_label(a))
    assert missing == [], "give these actions a Chinese name in bangfu/accounts/domain/audit.py ACTION_LABELS"
    steps = (
        [f"claim_{e.value}" for e in ClaimEvent]
        + [f"workshop_{e.value}" for e in WorkshopEvent]
        + [f"certification_{a.value}" for a in Action]
        + [f"order_{e}" for e in ORDER_TABLE.events]
        + [f"warning_{t.event}" for t in WARNING_TABLE.steps]
    )
    unnamed = [a for a in steps if "其他" in audit.action_label(a)]
    assert unnamed == []
    assert audit.change_text("case_accept", {"from": "lead", "to": "accepted"}).startswith("待受理 → ")


def test_batch_events_are_recorded_under_their_common_area(log, api_for) -> None:
    """An area import (and a bulk registration) has no single village; before, it was recorded with no
    area code and no auditor ever saw it. Now it is under the narrowest area covering its rows."""
    csv = "区划代码,名称,上级区划代码\n511133100203,新村,511133100000\n511133100204,新二村,511133100000\n"
    areas.area_import(data=csv.encode(), filename="areas.csv", actor=log.county)
    e = AuditEvent.objects.get(action="area_import")
    assert e.area_code == log.area_t1.code
    seen = api_for(log.auditor).get("/api/v1/accounts/audit", {"action": "area_import"}).json()["items"]
    assert [x["id"] for x in seen] == [e.pk] and seen[0]["action_label"] == "导入区划"
    assert api_for(log.other_auditor).get("/api/v1/accounts/audit", {"action": "area_import"}).json()["count"] == 0
    assert common_area(["511133100201", "511133200201"]) == "511133000000"
    assert common_area(["511133100201", "511132100201"]) == "511100000000"
    assert common_area(["511133100201"]) == "511133100201" and common_area([]) == ""
