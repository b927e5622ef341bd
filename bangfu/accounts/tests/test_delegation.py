"""Delegations: the county's recorded exception to a separation of duties."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.accounts import selectors, services
from bangfu.accounts.domain.duties import covers, in_force
from bangfu.accounts.models import Delegation
from bangfu.core.errors import Forbidden, NotFound, ValidationFailed
from bangfu.core.models import AuditEvent

PAIR = "claim.calculate-approve"
D1 = dt.date(2026, 1, 1)


def test_in_force_and_covers_are_inclusive_and_prefix_based() -> None:
    assert in_force(D1, dt.date(2026, 1, 31), dt.date(2026, 1, 31))
    assert not in_force(D1, dt.date(2026, 1, 31), dt.date(2026, 2, 1))
    assert in_force(D1, None, dt.date(2030, 1, 1)) and not in_force(D1, None, dt.date(2025, 12, 31))
    assert covers("511133", "511133100201") and not covers("511133", "511134100201") and not covers("", "5")


@pytest.mark.django_db
def test_county_grants_delegation_recorded_with_reason_and_audit(world) -> None:
    d = services.delegation_grant(
        actor=world.county,
        delegate_id=world.insurer.pk,
        duty_pair=PAIR,
        area_code=world.area_t1.code,
        valid_from=D1,
        valid_to=dt.date(2026, 3, 31),
        reason="雪口山乡审批人员病休，县防贫办书面同意",
    )
    v = world.households["h1"].village_id
    assert selectors.delegation_for(world.insurer, PAIR, v, dt.date(2026, 2, 1)) == d
    assert selectors.delegation_for(world.insurer, PAIR, v, dt.date(2026, 4, 1)) is None  # after the end
    assert selectors.delegation_for(world.insurer, PAIR, world.v2a.code, dt.date(2026, 2, 1)) is None  # other township
    assert selectors.delegation_for(world.t1, PAIR, v, dt.date(2026, 2, 1)) is None  # someone else
    ev = AuditEvent.objects.get(action="delegation_grant")
    assert ev.reason.startswith("雪口山乡") and ev.object_id == str(d.pk)
    assert list(selectors.delegations_visible(world.county)) == [d]
    assert list(selectors.delegations_visible(world.t2)) == []
    services.delegation_revoke(actor=world.county, delegation_id=d.pk, reason="审批人员返岗")
    assert selectors.delegation_for(world.insurer, PAIR, v, dt.date(2026, 2, 1)) is None
    assert AuditEvent.objects.filter(action="delegation_revoke", reason="审批人员返岗").exists()


@pytest.mark.django_db
def test_only_county_approvers_grant_and_bad_input_is_refused(world) -> None:
    kw = {"duty_pair": PAIR, "area_code": world.area_t1.code, "valid_from": D1, "valid_to": None, "reason": "x"}
    with pytest.raises(NotFound):  # township officer: not an approver anywhere
        services.delegation_grant(actor=world.t1, delegate_id=world.insurer.pk, **kw)
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_grant(
            actor=world.county,
            delegate_id=world.county.pk,
            duty_pair="nope",
            area_code=world.area_t1.code,
            valid_from=D1,
            valid_to=dt.date(2025, 1, 1),
            reason="  ",
        )
    assert {p.field for p in exc.value.problems} == {"duty_pair", "reason", "valid_to", "delegate_id"}
    assert not Delegation.objects.exists()


@pytest.mark.django_db
def test_township_level_approver_cannot_grant(world) -> None:
    from bangfu.accounts.domain.roles import Role

    services.membership_grant(user=world.t1, role=Role.COUNTY_ADMIN, area_code=world.area_t1.code)
    with pytest.raises(Forbidden):
        services.delegation_grant(
            actor=world.t1,
            delegate_id=world.insurer.pk,
            duty_pair=PAIR,
            area_code=world.v1a.code,
            valid_from=D1,
            valid_to=None,
            reason="乡镇自行授权",
        )
    assert not Delegation.objects.exists()
