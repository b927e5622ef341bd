"""A payslip is corrected, never silently replaced: the first entry is kept, the correction says who,
when and why, and the household's income line follows it with the correction in its history."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse

from bangfu.core.errors import ValidationFailed
from bangfu.core.models import AuditEvent
from bangfu.employment import services
from bangfu.employment.models import Payslip, PayslipCorrection
from bangfu.employment.tests.conftest import Story, grid, hire
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/employment"


def _january(story: Story) -> tuple[Any, Payslip]:
    jishi = registry.members_of(story.world.county, story.a.pk).get(relation="户主")
    c = hire(story.world.t1, story, jishi)
    slip = services.payslip_record(
        actor=story.enterprise, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=26, pieces=600
    )
    assert slip.gross == D("3000.00")
    return c, slip


def _wage(story: Story) -> D:
    st = registry.statement_for(story.world.county, story.a.pk, 2025)
    return st.wage if st else D("0")


def test_re_entering_a_month_without_a_reason_is_refused_and_changes_nothing(story: Story) -> None:
    c, slip = _january(story)
    with pytest.raises(ValidationFailed) as exc:
        services.payslip_record(
            actor=story.world.t1, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=26, pieces=700
        )
    assert exc.value.problems[0].field == "reason" and "3000.00" in exc.value.zh and "reason" in exc.value.en
    slip.refresh_from_db()
    assert (slip.gross, slip.pieces, _wage(story)) == (D("3000.00"), 600, D("3000.00"))
    assert not PayslipCorrection.objects.exists()


def test_a_correction_keeps_the_first_entry_and_says_who_when_why(story: Story) -> None:
    c, slip = _january(story)
    why = "车间复核计件台账，漏记100件"
    services.payslip_record(
        actor=story.world.t1,
        contract=c,
        month=dt.date(2025, 1, 1),
        scheduled_days=26,
        days_worked=26,
        pieces=700,
        reason=why,
    )
    slip.refresh_from_db()
    assert (slip.gross, slip.pieces) == (D("3300.00"), 700)
    [k] = PayslipCorrection.objects.filter(payslip=slip)
    assert (k.previous_gross, k.gross, k.reason, k.corrected_by) == (D("3000.00"), D("3300.00"), why, story.world.t1)
    assert k.before["pieces"] == 600 and k.before["gross"] == "3000.00" and k.after["gross"] == "3300.00"
    assert Payslip.objects.filter(contract=c).count() == 1
    assert _wage(story) == D("3300.00")  # the income line follows the corrected amount
    changes = registry.household_history(story.world.county, story.a.pk)
    line = next(r for r in changes if why in r["reason"])
    assert "3000.00" in line["reason"] and "3300.00" in line["reason"]
    assert any(ch["old"] == D("3000.00") and ch["new"] == D("3300.00") for ch in line["changes"])
    assert AuditEvent.objects.filter(action="payslip_correct", reason=why).exists()


def test_the_same_entry_again_is_not_a_correction(story: Story) -> None:
    c, slip = _january(story)
    again = services.payslip_record(
        actor=story.enterprise, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=26, pieces=600
    )
    assert again.pk == slip.pk and not PayslipCorrection.objects.exists()


def test_pages_show_the_correction_on_the_payslip_and_in_the_household_history(story: Story, client_for: Any) -> None:
    c, slip = _january(story)
    w = story.workshop
    url = reverse("employment:payroll", args=[w.pk])
    row = grid(c, "2025-01", pieces="700")
    t1 = client_for(story.world.t1)
    refused = t1.post(url, row)
    assert refused.status_code == 422 and "更正须填写理由" in refused.content.decode()
    sheet = t1.get(url + "?month=2025-01").content.decode()
    assert f'name="reason-{c.pk}"' in sheet
    for outsider in (story.world.t2, story.world.gw2):
        client_for(outsider).post(url, row | {f"reason-{c.pk}": "外乡镇改工资"})
    assert Payslip.objects.get(pk=slip.pk).gross == D("3000.00")
    assert t1.post(url, row | {f"reason-{c.pk}": "漏记100件"}).status_code == 302
    html = t1.get(reverse("employment:payslip_detail", args=[slip.pk])).content.decode()
    assert 'id="gross">3,300.00<' in html and 'id="first-gross">3,000.00<' in html and "漏记100件" in html
    assert client_for(story.world.t2).get(reverse("employment:payslip_detail", args=[slip.pk])).status_code == 404
    household = t1.get(reverse("registry:household_detail", args=[story.a.pk])).content.decode()
    assert "漏记100件" in household


def test_api_corrects_with_a_reason_and_shows_the_corrections(story: Story, api_for: Any) -> None:
    c, slip = _january(story)
    body = {"month": "2025-01", "scheduled_days": 26, "days_worked": 26, "pieces": 700}

    def post(client: Any, data: dict[str, Any]) -> Any:
        return client.post(f"{BASE}/contracts/{c.pk}/payslips", json.dumps(data), content_type="application/json")

    ent = api_for(story.enterprise)
    assert post(ent, body).status_code == 422
    for outsider in (api_for(story.world.t2), api_for(story.world.gw2), api_for(story.stranger)):
        assert post(outsider, body | {"reason": "x"}).status_code in (403, 404)
        assert outsider.get(f"{BASE}/payslips/{slip.pk}").status_code == 404
    assert Payslip.objects.get(pk=slip.pk).gross == D("3000.00")
    r = post(ent, body | {"reason": "漏记100件"})
    assert r.status_code == 201 and r.json()["gross"] == "3300.00"
    detail = api_for(story.world.t1).get(f"{BASE}/payslips/{slip.pk}").json()
    [k] = detail["corrections"]
    assert (k["previous_gross"], k["gross"], k["reason"]) == ("3000.00", "3300.00", "漏记100件")
    assert detail["gross"] == "3300.00"
