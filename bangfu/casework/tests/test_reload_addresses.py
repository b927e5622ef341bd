"""A reload after a grid hand-over or a calendar day's removal (the browser's address is the form's
POST address) shows the page the form lives on, not a blank 405; outsiders still get 404 (issue #16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.casework import services
from bangfu.casework.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_reloading_a_refused_grid_handover_shows_the_village_grids(world, params, client_for):
    url = reverse("casework:grid_handover", args=[world.g1.pk])
    t1 = client_for(world.t1)
    refused = t1.post(url, {"worker": world.gw2.pk, "reason": ""})  # no reason: shown again at this address
    assert refused.status_code == 422
    reload = t1.get(url)
    assert reload.status_code == 200 and world.g1.name in reload.content.decode()
    assert reload.templates[0].name == "casework/grid_village.html"
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code == 404
    world.g1.refresh_from_db()
    assert world.g1.worker_id == world.gw1.pk  # a GET changes nothing


def test_reloading_a_calendar_days_removal_shows_the_settings(world, params, client_for):
    day = services.calendar_day_set(
        actor=world.county, date=dt.date(2024, 3, 4), name="误录假日", area_code=world.area_county.code
    )
    national = services.calendar_day_set(actor=None, date=dt.date(2024, 3, 5), name="全国假日")
    county = client_for(world.county)
    refused = reverse("casework:calendar_delete", kwargs={"pk": national.pk})
    assert county.post(refused).status_code == 403  # the administrator's: the refusal is shown at this address
    reload = county.get(refused)
    assert reload.status_code == 200 and reload.templates[0].name == "casework/config.html"
    url = reverse("casework:calendar_delete", kwargs={"pk": day.pk})
    assert county.get(url).status_code == 200 and CalendarDay.objects.filter(pk=day.pk).exists()  # GET: no delete
    assert client_for(world.gw1).get(url).status_code == 404  # configures nothing
    assert county.post(url).status_code == 302
    assert county.get(url).status_code == 404  # removed: nothing to show at its address
