"""Account administration by the county (and townships it allows): create, grant, edit, deactivate with
grid hand-over, reset, policy. Every change is in the audit log; other counties see and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone

from bangfu.accounts import selectors, services
from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import Membership, User
from bangfu.areas import services as areas
from bangfu.areas.models import Grid, GridWorkerTerm
from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.core.models import AuditEvent
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world):
    """A neighbouring county (峨边) with its own administrator and a grid worker."""
    c = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code=world.province.code)
    t = areas.area_create(code="511132100000", name="沙坪镇", parent_code=c.code)
    v = areas.area_create(code="511132100201", name="新场村", parent_code=t.code)
    admin = services.user_create(username="eb_admin", password=PASSWORD)
    services.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=c.code)
    worker = services.user_create(username="eb_gw", password=PASSWORD)
    services.membership_grant(user=worker, role=Role.GRID_WORKER, area_code=v.code)
    return {"county": c, "village": v, "admin": admin, "worker": worker}


def _allow_townships(world, on: dt.date | None = None) -> None:
    services.policy_set(
        actor=world.county,
        area_code=world.area_county.code,
        effective_from=on or timezone.localdate(),
        township_administers=True,
        password_min_length=8,
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_county_admin_creates_an_account_that_must_change_its_password_and_is_audited(world) -> None:
    user, first = services.account_create(
        actor=world.county,
        username="gw_new01",
        display_name="王小五",
        phone="138 0000 0000",
        role=Role.GRID_WORKER,
        area_code=world.v1a.code,
    )
    assert user.must_change_password and user.check_password(first) and len(first) >= 12
    assert user.phone == "13800000000" and user.home_area_id == world.area_t1.code
    assert [(m.role, m.area_id) for m in selectors.memberships_of(user)] == [("grid_worker", world.v1a.code)]
    created = _events("user_create")[-1]
    grant = _events("membership_grant")[-1]
    assert created.actor == world.county and created.object_id == str(user.pk) and created.area_code
    assert grant.actor == world.county and grant.area_code == world.v1a.code
    shown = selectors.audit_events(world.county, selectors.AuditFilter(object_type="accounts.user"))
    assert created in shown  # the county's audit log lists the account change


def test_county_admin_cannot_create_outside_its_county_and_nothing_is_written(world, other) -> None:
    with pytest.raises(NotFound):
        services.account_create(
            actor=world.county,
            username="x_out",
            display_name="甲",
            role=Role.GRID_WORKER,
            area_code=other["village"].code,
        )
    assert not User.objects.filter(username="x_out").exists()
    with pytest.raises(NotFound):
        services.membership_grant(
            actor=world.county, user=world.gw1, role=Role.GRID_WORKER, area_code=other["village"].code
        )
    assert not Membership.objects.filter(user=world.gw1, area_id=other["village"].code).exists()


def test_no_role_above_ones_own_and_roles_at_their_level(world) -> None:
    _allow_townships(world)
    for role, area in ((Role.TOWNSHIP_OFFICER, world.area_t1), (Role.COUNTY_ADMIN, world.area_county)):
        with pytest.raises((Forbidden, NotFound)):
            services.account_create(actor=world.t1, username="up1", display_name="甲", role=role, area_code=area.code)
    with pytest.raises(Forbidden):
        services.membership_grant(
            actor=world.t1, user=world.gw1, role=Role.TOWNSHIP_OFFICER, area_code=world.area_t1.code
        )
    assert not User.objects.filter(username="up1").exists()
    assert not Membership.objects.filter(user=world.gw1, role="township_officer").exists()
    with pytest.raises(ValidationFailed):  # a grid worker is held at a village, not the county
        services.account_create(
            actor=world.county,
            username="lv1",
            display_name="甲",
            role=Role.GRID_WORKER,
            area_code=world.area_county.code,
        )
    assert not User.objects.filter(username="lv1").exists()


def test_county_admin_cannot_read_or_change_another_countys_users(world, other) -> None:
    visible = set(selectors.users_visible(world.county).values_list("username", flat=True))
    assert {"gw1", "t2", "auditor"} <= visible and not visible & {"eb_admin", "eb_gw"}
    for call in (
        lambda: selectors.user_get(world.county, other["worker"].pk),
        lambda: services.account_update(actor=world.county, user_id=other["worker"].pk, display_name="改"),
        lambda: services.password_reset(actor=world.county, user_id=other["worker"].pk),
        lambda: services.account_deactivate(actor=world.county, user_id=other["worker"].pk, reason="离职"),
    ):
        with pytest.raises(NotFound):
            call()
    w = User.objects.get(pk=other["worker"].pk)
    assert w.is_active and w.display_name == "" and not w.must_change_password


def test_township_administers_village_and_grid_accounts_only_when_the_county_allows(world) -> None:
    with pytest.raises(Forbidden):
        selectors.users_visible(world.t1)
    with pytest.raises((Forbidden, NotFound)):
        services.account_create(
            actor=world.t1, username="gw_t1", display_name="甲", role=Role.GRID_WORKER, area_code=world.v1a.code
        )
    _allow_townships(world, on=timezone.localdate() + dt.timedelta(days=10))  # not yet in force
    with pytest.raises(Forbidden):
        selectors.users_visible(world.t1)
    _allow_townships(world)
    user, _ = services.account_create(
        actor=world.t1, username="gw_t1", display_name="甲", role=Role.GRID_WORKER, area_code=world.v1a.code
    )
    assert selectors.user_get(world.t1, user.pk) == user
    with pytest.raises(NotFound):  # the other township's village
        services.account_create(
            actor=world.t1, username="gw_t2", display_name="乙", role=Role.GRID_WORKER, area_code=world.v2a.code
        )
    with pytest.raises(NotFound):
        selectors.user_get(world.t1, world.gw3.pk)
    with pytest.raises(Forbidden):  # a township colleague holds a role the township does not administer
        services.password_reset(actor=world.t1, user_id=_colleague(world).pk)


def _colleague(world) -> User:
    u = services.user_create(username="t1b", password=PASSWORD)
    services.membership_grant(user=u, role=Role.TOWNSHIP_OFFICER, area_code=world.area_t1.code)
    return u


def test_edit_and_reset_are_audited_and_reset_requires_a_new_password(world) -> None:
    services.account_update(actor=world.county, user_id=world.gw1.pk, display_name="李网格", phone="13900000000")
    temp = services.password_reset(actor=world.county, user_id=world.gw1.pk)
    gw1 = User.objects.get(pk=world.gw1.pk)
    assert gw1.display_name == "李网格" and gw1.check_password(temp) and gw1.must_change_password
    assert _events("user_update")[-1].data == {"fields": ["display_name", "phone"]}
    assert _events("user_password_reset")[-1].actor == world.county
    gw1.set_password("a-new-long-passphrase-7")  # the user's own change clears the flag
    gw1.save()
    assert not User.objects.get(pk=gw1.pk).must_change_password


def test_deactivating_a_grid_worker_hands_the_grids_over_in_the_same_step(world) -> None:
    with pytest.raises(ValidationFailed) as e:  # the form must say to whom
        services.account_deactivate(actor=world.county, user_id=world.gw1.pk, reason="外出务工")
    assert e.value.problems[0].field == f"handover_{world.g1.pk}"
    with pytest.raises(ValidationFailed):  # a grid worker of another village cannot take it
        services.account_deactivate(
            actor=world.county, user_id=world.gw1.pk, reason="外出务工", handover={world.g1.pk: world.gw3.pk}
        )
    assert User.objects.get(pk=world.gw1.pk).is_active and Grid.objects.get(pk=world.g1.pk).worker_id == world.gw1.pk
    services.account_deactivate(
        actor=world.county, user_id=world.gw1.pk, reason="外出务工", handover={world.g1.pk: world.gw2.pk}
    )
    gw1 = User.objects.get(pk=world.gw1.pk)
    assert not gw1.is_active and gw1.deactivation_reason == "外出务工"
    assert Grid.objects.get(pk=world.g1.pk).worker_id == world.gw2.pk
    terms = list(GridWorkerTerm.objects.filter(grid=world.g1).order_by("start", "pk"))
    assert terms[0].worker_id == world.gw1.pk and terms[0].end is not None and terms[-1].worker_id == world.gw2.pk
    assert Membership.objects.filter(user=gw1).count() == 1 and not selectors.memberships_of(gw1)  # kept, ended
    assert _events("user_deactivate")[-1].data == {"grids": [{"grid": world.g1.pk, "worker": world.gw2.pk}]}
    assert _events("grid_assign_worker")[-1].reason == "外出务工"
    with pytest.raises(Conflict):
        services.account_deactivate(actor=world.county, user_id=world.county.pk, reason="x")


def test_ending_a_grid_workers_role_hands_over_that_villages_grids(world) -> None:
    m = Membership.objects.get(user=world.gw2, role="grid_worker")
    with pytest.raises(ValidationFailed):
        services.membership_end(actor=world.county, membership_id=m.pk, reason="调岗")
    services.membership_end(actor=world.county, membership_id=m.pk, reason="调岗", handover={world.g2.pk: None})
    assert Grid.objects.get(pk=world.g2.pk).worker_id is None  # vacant, as chosen
    m.refresh_from_db()
    assert m.end == timezone.localdate() and m.end_reason == "调岗"
    assert not selectors.memberships_of(User.objects.get(pk=world.gw2.pk))
    assert _events("membership_end")[-1].area_code == world.v1a.code


def test_county_password_policy_applies_to_its_people_only(world, other) -> None:
    services.policy_set(
        actor=world.county,
        area_code=world.area_county.code,
        effective_from=timezone.localdate(),
        township_administers=False,
        password_min_length=14,
    )
    with pytest.raises(DjangoValidationError):
        validate_password("Xq7-river-bd", world.gw1)
    validate_password("Xq7-river-bend-2", world.gw1)
    validate_password("Xq7-river-bd", other["worker"])  # 峨边 keeps the default of 8
    with pytest.raises(DjangoValidationError):
        validate_password("password123", other["worker"])  # a common password
    with pytest.raises((Forbidden, NotFound)):  # townships do not set the county policy
        services.policy_set(
            actor=world.t1,
            area_code=world.area_county.code,
            effective_from=timezone.localdate(),
            township_administers=True,
            password_min_length=8,
        )
    with pytest.raises(NotFound):
        services.policy_set(
            actor=world.county,
            area_code=other["county"].code,
            effective_from=timezone.localdate(),
            township_administers=True,
            password_min_length=8,
        )
    assert _events("account_policy_set")[-1].area_code == world.area_county.code


def test_restoring_an_account_is_audited_and_needs_a_new_password_and_new_roles(world, other) -> None:
    services.account_deactivate(actor=world.county, user_id=world.v1.pk, reason="任期结束")
    with pytest.raises(NotFound):
        services.account_reactivate(actor=other["admin"], user_id=world.v1.pk, reason="返岗")
    services.account_reactivate(actor=world.county, user_id=world.v1.pk, reason="返岗")
    v1 = User.objects.get(pk=world.v1.pk)
    assert v1.is_active and v1.must_change_password and not selectors.memberships_of(v1)
    assert _events("user_reactivate")[-1].reason == "返岗" and _events("user_deactivate")[-1].reason == "任期结束"
