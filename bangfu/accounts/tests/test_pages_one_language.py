"""The accounts pages in one language at a time (issue #16): labels, not codes, in the audit log;
forms that keep what was typed with each problem beside its field; irreversible actions that ask first
with a summary (the `data-confirm` pattern, docs/conventions.md "Confirmations")."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services
from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import Delegation, User
from bangfu.areas import services as areas
from bangfu.core.models import AuditEvent
from bangfu.core.services import audit_record
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db
CODES = ("in_person", "expense_below_threshold", "per_capita_income", "grid_worker", "medical_cost", "schooling")


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _text(body: bytes) -> str:
    """What a person reads: the page without tags, attributes or scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", body.decode(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def events(world):
    h = world.households["h1"]
    audit_record(
        actor=world.gw1,
        action="visit_log",
        obj=h,
        area_code=h.village_id,
        data={"mode": "in_person", "checks": ["schooling"], "risk": False},
    )
    audit_record(
        actor=world.county,
        action="claim_reject",
        obj=h,
        area_code=h.village_id,
        data={"from": "calculated", "to": "rejected", "code": "expense_below_threshold", "per_capita_income": "7962"},
    )
    audit_record(
        actor=world.county,
        action="warning_open",
        obj=h,
        area_code=h.village_id,
        data={"rule": "medical_cost", "role": "grid_worker"},
    )
    return AuditEvent.objects.count()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_audit_log_shows_labels_never_codes(world, events, client_for, language) -> None:
    page = _in(client_for(world.county), language).get(reverse("accounts:audit"))
    text = _text(page.content)
    assert page.status_code == 200
    assert not [c for c in CODES if c in text], [c for c in CODES if c in text]
    if language == "en":
        assert "Reason for rejection" in text and "Verified net income per person" in text and "Grid worker" in text
        assert "审计日志" not in text and "驳回原因" not in text
    else:
        assert "驳回原因：支出未达到赔付条件" in text and "规则：医疗支出骤增" in text and "入户" in text


def test_the_audit_export_speaks_the_readers_language(world, events, client_for) -> None:
    import io

    import openpyxl

    data = _in(client_for(world.county), "en").get(reverse("accounts:audit_export")).content
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws.title == "Audit log" and cells[:3] == ["Time", "By", "Action"]
    assert not [c for c in CODES if any(c in v for v in cells)]


def test_a_new_account_form_keeps_what_was_typed_and_shows_each_problem_beside_its_field(world, client_for) -> None:
    c = client_for(world.county)
    typed = {
        "username": "gw_new",
        "display_name": "",
        "phone": "123abc",
        "role": "grid_worker",
        "area_code": "",
        "organisation": "民政局",
    }
    page = c.post(reverse("accounts:person_new"), typed)
    body = page.content.decode()
    assert page.status_code == 422 and not User.objects.filter(username="gw_new").exists()
    assert 'value="gw_new"' in body and 'value="民政局"' in body and '<option value="grid_worker" selected>' in body
    for field in ("display_name", "phone", "area_code"):  # every problem at once, each inside its field's label
        label = body.split(f'name="{field}"')[1].split("</label>")[0]
        assert 'class="errorlist"' in label, field
    english = _in(client_for(world.county), "en").post(reverse("accounts:person_new"), typed).content.decode()
    assert "Grid worker" in english and "网格员" not in english.split("<main")[1]


def test_the_delegation_form_keeps_what_was_typed(world, client_for) -> None:
    c = client_for(world.county)
    typed = {
        "duty_pair": "claim.calculate-approve",
        "delegate": "nobody",
        "area_code": world.area_county.code,
        "valid_from": "",
        "valid_to": "",
        "reason": "人手不足",
    }
    page = c.post(reverse("accounts:delegations"), typed)
    body = page.content.decode()
    assert page.status_code == 422 and not Delegation.objects.exists()
    assert 'value="nobody"' in body and 'value="人手不足"' in body
    assert 'class="errorlist"' in body.split('name="delegate"')[1].split("</label>")[0]


def test_irreversible_account_actions_ask_first_with_a_summary(world, client_for) -> None:
    c = client_for(world.county)
    body = c.get(reverse("accounts:person", args=[world.gw1.pk])).content.decode()
    off = re.search(r'<form[^>]*id="person-deactivate"[^>]*data-confirm="([^"]+)"', body)
    assert off and str(world.gw1) in off.group(1) and "停用" in off.group(1)
    assert re.search(r'action="/accounts/memberships/\d+/end/"[^>]*data-confirm="[^"]*网格员', body)
    english = _in(client_for(world.county), "en").get(reverse("accounts:person", args=[world.gw1.pk])).content.decode()
    off = re.search(r'id="person-deactivate"[^>]*data-confirm="([^"]+)"', english)
    assert off and off.group(1).startswith("Deactivate ") and "can no longer sign in" in off.group(1)


def test_revoking_a_delegation_asks_first(world, client_for) -> None:
    services.delegation_grant(
        actor=world.county,
        delegate_id=world.t1.pk,
        duty_pair="claim.calculate-approve",
        area_code=world.area_county.code,
        valid_from=timezone.localdate(),
        valid_to=None,
        reason="人手不足",
    )
    body = client_for(world.county).get(reverse("accounts:delegations")).content.decode()
    assert re.search(r'action="/accounts/delegations/\d+/revoke/"[^>]*data-confirm="撤销', body)
    other_county = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code=world.province.code)
    outsider = services.user_create(username="eb_admin", password=PASSWORD)
    services.membership_grant(user=outsider, role=Role.COUNTY_ADMIN, area_code=other_county.code)
    assert "人手不足" not in client_for(outsider).get(reverse("accounts:delegations")).content.decode()


def test_the_accounts_list_keeps_the_area_of_its_link(world, client_for) -> None:
    c = client_for(world.county)
    page = c.get(reverse("accounts:people"), {"area": world.area_t2.code})
    body = page.content.decode()
    assert page.status_code == 200 and 'class="chip"' in body and "t2" in body
    assert ">t1<" not in body  # the neighbouring township's officer is not listed
