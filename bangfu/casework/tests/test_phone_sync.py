"""Visits queued by a phone offline (docs/offline.md): exactly once with an Idempotency-Key, JSON
answers with what the visit counted towards, `moved_away`, and the access trio."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.casework.models import Case, Visit
from bangfu.core.models import AuditEvent, IdempotencyKey
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _send(client, household, key=None, **fields):
    data = {"visited_on": timezone.localdate().isoformat(), "mode": "in_person", "note": "入户看了"} | fields
    headers = dict(JSON)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(key)
    return client.post(f"/cases/grid/visit/{household.pk}/", data, **headers)


def test_replay_returns_the_stored_answer_and_does_nothing_again(world, params, client_for) -> None:
    h = world.households["h1"]  # grid G1 of gw1
    c = client_for(world.gw1)
    key = uuid.uuid4()
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    first = _send(c, h, key, report_risk="1", checks=["illness"], photo=photo)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["ok"] is True and "Idempotent-Replayed" not in first
    assert body["outcome"]["lead"]["new"] is True
    counts = (Visit.objects.count(), Case.objects.count(), AuditEvent.objects.filter(action="visit_log").count())
    photo_again = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    again = _send(c, h, key, report_risk="1", checks=["illness"], photo=photo_again)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # byte for byte, on PostgreSQL too (jsonb reorders keys)
    assert (
        Visit.objects.count(),
        Case.objects.count(),
        AuditEvent.objects.filter(action="visit_log").count(),
    ) == counts
    assert IdempotencyKey.objects.filter(user=world.gw1, key=key).count() == 1


def test_without_a_key_each_post_is_a_visit(world, params, client_for) -> None:
    c = client_for(world.gw1)
    h = world.households["h1"]
    assert _send(c, h).status_code == 201 and _send(c, h).status_code == 201
    assert Visit.objects.filter(household=h).count() == 2 and not IdempotencyKey.objects.exists()


def test_the_same_key_from_another_user_route_or_body_is_refused(world, params, client_for) -> None:
    h1 = world.households["h1"]
    key = uuid.uuid4()
    assert _send(client_for(world.gw1), h1, key).status_code == 201
    # another user (the village cadre, who may visit h1 too)
    other = _send(client_for(world.v1), h1, key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # another route (a household of the same grid) and another body on the same route
    h_same_grid = _household_in(world, world.g1)
    assert _send(client_for(world.gw1), h_same_grid, key).json()["code"] == "idempotency_key_reused"
    changed = _send(client_for(world.gw1), h1, key, note="另一次")
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_key_reused"
    assert Visit.objects.count() == 1


def test_a_key_that_is_not_a_uuid_is_refused(world, params, client_for) -> None:
    r = _send(client_for(world.gw1), world.households["h1"], "12345")
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_invalid"
    assert not Visit.objects.exists()


def test_a_refused_visit_is_stored_and_refused_again_without_writing(world, params, client_for) -> None:
    c = client_for(world.gw1)
    key = uuid.uuid4()
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    first = _send(c, world.households["h1"], key, visited_on=future)
    assert first.status_code == 422 and first.json()["errors"][0]["field"] == "visited_on"
    again = _send(c, world.households["h1"], key, visited_on=future)
    assert again.status_code == 422 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert not Visit.objects.exists()


def test_moved_away_household_is_explained_not_lost(world, params, client_for) -> None:
    h = world.households["h1"]
    c = client_for(world.gw1)
    registry.household_update(actor=world.county, household=h, changes={"grid_id": world.g2.pk}, reason="调整网格")
    key = uuid.uuid4()
    r = _send(c, h, key)
    assert r.status_code == 409 and r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == "moved_away" and "未保存" in r.json()["message"]
    assert _send(c, h, key)["Idempotent-Replayed"] == "true"
    assert not Visit.objects.exists()
    # a worker who never had the household learns nothing: plain 404
    r3 = _send(client_for(world.gw3), h, uuid.uuid4())
    assert r3.status_code == 404 and r3.json()["code"] == "not_found"


def test_access_trio_changes_nothing(world, params, client_for) -> None:
    h = world.households["h1"]
    assert _send(client_for(world.t1), h, uuid.uuid4()).status_code == 201  # the township's officer may
    for user in (world.t2, world.gw2):
        r = _send(client_for(user), h, uuid.uuid4())
        assert r.status_code in (403, 404), (user, r.status_code)
    assert Visit.objects.count() == 1


def test_anonymous_queue_gets_401_not_a_login_page(world, params, client) -> None:
    r = _send(client, world.households["h1"], uuid.uuid4())
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_phone_visit_that_does_not_count_says_why(world, params, client_for) -> None:
    """Ordinary households need an in-person visit (phone_counts=False in the params fixture)."""
    c = client_for(world.gw1)
    r = _send(c, world.households["h1"], uuid.uuid4(), mode="phone")
    out = r.json()["outcome"]
    assert out["counted"] is False and "电话走访不计入一般户" in out["why_not_counted_zh"]
    assert out["standing"]["remaining"] == 1 and out["standing"]["phone_counts"] is False
    assert "还需入户走访1次" in r.json()["message_zh"]
    card = c.get("/cases/grid/mine/").content.decode()
    assert "还需入户1次" in card and "电话不计入" in card  # the card says why the call did not count
    r2 = _send(c, world.households["h1"], uuid.uuid4())
    assert r2.json()["outcome"]["counted"] is True and "已完成" in r2.json()["message_zh"]


def test_page_form_shows_the_feedback_and_goes_to_next(world, params, client_for) -> None:
    c = client_for(world.gw1)
    h = world.households["h1"]
    r = c.post(
        f"/cases/grid/visit/{h.pk}/",
        {"visited_on": timezone.localdate().isoformat(), "mode": "phone", "next": "/tasks/"},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == "/tasks/"
    text = r.content.decode()
    assert "电话走访不计入一般户的走访要求" in text and "还需入户走访1次" in text
    evil = c.post(f"/cases/grid/visit/{h.pk}/", {"mode": "in_person", "next": "https://evil.example/"})
    assert evil["Location"] == "/cases/grid/mine/"


def test_risk_report_says_who_acts(world, params, client_for) -> None:
    r = _send(client_for(world.gw1), world.households["h1"], uuid.uuid4(), report_risk="1", checks=["illness"])
    lead = r.json()["outcome"]["lead"]
    case = Case.objects.get(pk=lead["case_id"])
    assert lead["new"] is True and case.state == "lead"
    assert f"已提交风险线索#{case.pk}" in r.json()["message_zh"] and world.area_t1.name in lead["handled_by_zh"]


def test_api_visit_replay(world, params, api_for) -> None:
    api = api_for(world.gw1)
    key = str(uuid.uuid4())
    body = {"household_id": world.households["h1"].pk, "visited_on": timezone.localdate().isoformat(), "mode": "phone"}
    first = api.post("/api/v1/casework/visits", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    again = api.post("/api/v1/casework/visits", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Visit.objects.count() == 1
    other = api_for(world.gw2).post(
        "/api/v1/casework/visits", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert other.status_code in (403, 404, 422) and Visit.objects.count() == 1


def _household_in(world, grid):
    from bangfu.testing import new_household

    return new_household(grid.village, grid)


def test_village_poster_opens_the_self_report_with_the_village_chosen(world, params, client_for, client) -> None:
    world.gw1.phone = "13900000001"
    world.gw1.save(update_fields=["phone"])
    url = f"/cases/report/poster/{world.v1a.code}/"
    r = client_for(world.gw1).get(url)
    assert r.status_code == 200
    text = r.content.decode()
    target = f"/cases/report/?t={world.v1a.code[:9]}000&amp;v={world.v1a.code}"
    assert "<svg" in text and "12317" in text and target in text
    assert str(world.gw1) in text and "13900000001" in text
    assert client_for(world.t1).get(url).status_code == 200
    for user in (world.t2, world.gw3):
        assert client_for(user).get(url).status_code == 404
    assert client.get(url).status_code == 302  # login first
    assert client_for(world.t1).get(f"/cases/report/poster/{world.area_t1.code}/").status_code == 404  # a village
    form = client.get(f"/cases/report/?t={world.v1a.code[:9]}000&v={world.v1a.code}").content.decode()
    assert f'value="{world.v1a.code}" selected' in form


def test_old_keys_are_purged_by_the_nightly_cleanup(world, params, client_for) -> None:
    import datetime as dt

    from bangfu.casework.tasks import self_report_cleanup
    from bangfu.core.idempotency import KEEP_DAYS

    _send(client_for(world.gw1), world.households["h1"], uuid.uuid4())
    _send(client_for(world.gw1), world.households["h1"], uuid.uuid4())
    old = IdempotencyKey.objects.first()
    assert old is not None
    IdempotencyKey.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=KEEP_DAYS + 1))
    self_report_cleanup.call(reschedule=False)
    assert (
        list(IdempotencyKey.objects.values_list("pk", flat=True)) != []
        and not IdempotencyKey.objects.filter(pk=old.pk).exists()
    )
