"""Revoking a delegation from the delegations page (core.views.form_post): the reason beside its field, a
second revocation shown again with the error's own status (409, it was 422), outsiders change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.accounts import services
from bangfu.accounts.models import Delegation

pytestmark = pytest.mark.django_db


def test_revoking_a_delegation_from_the_page(world, client_for) -> None:
    d = services.delegation_grant(
        actor=world.county,
        delegate_id=world.insurer.pk,
        duty_pair="claim.calculate-approve",
        area_code=world.area_t1.code,
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        reason="雪口山乡审批人员病休，县防贫办书面同意",
    )
    url = reverse("accounts:delegation_revoke", args=[d.pk])
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).post(url, {"reason": "返岗"}).status_code in (403, 404)
    assert Delegation.objects.get(pk=d.pk).revoked_at is None
    county = client_for(world.county)
    blank = county.post(url, {"reason": " "})
    assert blank.status_code == 422 and "请填写撤销理由" in blank.content.decode()
    assert county.post(url, {"reason": "审批人员返岗"}).status_code == 302
    again = county.post(url, {"reason": "再撤销一次"})
    assert again.status_code == 409 and "该授权已撤销" in again.content.decode()
    assert Delegation.objects.get(pk=d.pk).revoke_reason == "审批人员返岗"
