"""The anonymous self-report reveals nothing and its limits hold (security review D6, D7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case
from bangfu.casework.tests.test_pages import _no_token, _report
from bangfu.casework.tests.test_services import open_case, run_to
from bangfu.registry.selectors import member_full_id
from bangfu.testing import new_id_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [State.LEAD, State.ACCEPTED, State.MONITORED])
def test_the_answer_is_the_same_whether_or_not_the_household_has_a_case(world, params, client, state) -> None:
    """D6: the answer showed the existing case's own deadline (or none once monitored)."""
    case = run_to(world, open_case(world), state)  # opened 330 days ago: its deadlines are long past
    head_id = member_full_id(world.county, world.households["h1"].members.first())
    known = _report(client, world.v1a.code, head_id)
    done_known = client.get(known.url).content.decode()
    unknown = _report(client, world.v1a.code, new_id_number())
    done_unknown = client.get(unknown.url).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert _no_token(done_known) == _no_token(done_unknown)
    new_lead = Case.objects.filter(source="self_report", household=None).get()
    assert new_lead.due_on is not None and new_lead.due_on.isoformat() in done_known
    assert Case.objects.get(pk=case.pk).state == state.value  # the report joined the household's case


def test_forwarded_for_from_the_client_does_not_reset_the_address_limit(world, params, client) -> None:
    """D7: five reports from one address, then a sixth with a made-up X-Forwarded-For: still refused."""
    for i in range(5):
        r = client.post(
            reverse("casework:self_report"),
            {"name": "李四", "id_number": new_id_number(), "phone": "13800000000", "village": world.v1a.code,
             "hardship": "疾病", "description": "家人突发重病，住院费用很高"},
            REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"10.85.35.{i}",
        )  # fmt: skip
        assert r.status_code == 302
    sixth = client.post(
        reverse("casework:self_report"),
        {"name": "李四", "id_number": new_id_number(), "phone": "13800000000", "village": world.v1a.code,
         "hardship": "疾病", "description": "家人突发重病，住院费用很高"},
        REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="10.85.35.178",
    )  # fmt: skip
    assert sixth.status_code == 429
    assert Case.objects.filter(source="self_report").count() == 5


def test_behind_a_trusted_proxy_each_phone_has_its_own_limit(world, params, client, settings) -> None:
    settings.BANGFU_TRUSTED_PROXIES = ["10.0.0.9"]
    data = {"name": "李四", "phone": "13800000000", "village": world.v1a.code, "hardship": "疾病",
            "description": "家人突发重病，住院费用很高"}  # fmt: skip
    for _ in range(5):
        r = client.post(
            reverse("casework:self_report"), {**data, "id_number": new_id_number()},
            REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.4",
        )  # fmt: skip
        assert r.status_code == 302
    forged = client.post(
        reverse("casework:self_report"), {**data, "id_number": new_id_number()},
        REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.4",
    )  # fmt: skip
    assert forged.status_code == 429  # a forged left-most entry does not make a new phone
    other = client.post(
        reverse("casework:self_report"), {**data, "id_number": new_id_number()},
        REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.5",
    )  # fmt: skip
    assert other.status_code == 302
