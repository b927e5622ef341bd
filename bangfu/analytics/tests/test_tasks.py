"""The task-first home of grid workers and village cadres and the phone's offline data (issue #15),
with the access trio: nothing of another grid or township appears."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bangfu.casework import services as casework
from bangfu.registry.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks_county(county):
    for category, visits, period, phone in (("monitored", 2, "month", False), ("ordinary", 1, "month", False)):
        casework.obligation_set(
            actor=None,
            area_code=county.area_county.code,
            category=category,
            visits=visits,
            period=period,
            phone_counts=phone,
            effective_from=dt.date(2020, 1, 1),
        )
    return county


def test_grid_worker_lands_on_his_tasks(tasks_county, client_for) -> None:
    w = tasks_county
    r = client_for(w.gw1).get("/")
    assert r.status_code == 200
    assert next(t.name for t in r.templates) == "analytics/tasks.html"
    text = r.content.decode()
    h1 = w.households["h1"]
    assert f"/monitoring/warnings/{w.warning.pk}/" in text  # the warning to verify, one tap away
    assert f"/cases/grid/visit/{h1.pk}/?next=/" in text  # the visit due, one tap to the form
    assert "监测户每月入户2次" in text  # the reason it is due
    for other in ("h2", "h3"):
        assert f"/cases/grid/visit/{w.households[other].pk}/" not in text
    assert "echarts" not in text and "htmx-2" not in text  # nothing heavy: no chart library, no htmx
    assert 'class="tabbar"' in text and 'class="field"' in text


def test_other_grid_sees_its_own_case_not_the_warning(tasks_county, client_for) -> None:
    w = tasks_county
    text = client_for(w.gw2).get("/tasks/").content.decode()
    assert f"/cases/{w.case.pk}/" in text
    assert f"/monitoring/warnings/{w.warning.pk}/" not in text


def test_officers_keep_the_dashboard_and_reach_tasks_of_their_area(tasks_county, client_for) -> None:
    w = tasks_county
    home = client_for(w.t1).get("/")
    assert "analytics/home.html" in [t.name for t in home.templates]
    assert f"/monitoring/warnings/{w.warning.pk}/" in client_for(w.t1).get("/tasks/").content.decode()
    assert f"/monitoring/warnings/{w.warning.pk}/" not in client_for(w.t2).get("/tasks/").content.decode()
    assert client_for(w.dept).get("/tasks/").status_code == 404
    assert "analytics/home.html" in [t.name for t in client_for(w.gw1).get("/?view=dashboard").templates]


def test_village_cadre_on_a_phone_starts_from_tasks(tasks_county, client_for) -> None:
    w = tasks_county
    r = client_for(w.v1).get("/")
    assert next(t.name for t in r.templates) == "analytics/tasks.html"
    assert f"/monitoring/warnings/{w.warning.pk}/" in r.content.decode()


def test_offline_data_holds_only_the_workers_households(tasks_county, client_for) -> None:
    w = tasks_county
    r = client_for(w.gw1).get("/tasks/offline.json")
    assert r.status_code == 200 and r["Cache-Control"].startswith("private")
    data = r.json()
    assert [h["id"] for h in data["households"]] == [w.households["h1"].pk]
    h1 = data["households"][0]
    assert h1["standing"]["remaining"] == 2 and h1["open_warnings"] == 1 and h1["monitored"] is True
    assert data["tasks"]["warnings"][0]["id"] == w.warning.pk
    assert data["tasks"]["visits_due"][0]["household_id"] == w.households["h1"].pk
    assert data["rules"]["checks"]["illness"] == "疾病" and data["rules"]["max_visit_age_days"] == 31
    assert {"category": "monitored", "phone_counts": False}.items() <= data["rules"]["obligations"][0].items()
    assert data["csrf_token"] and "/" in data["precache"] and "/tasks/" in data["precache"]
    raw = r.content.decode()
    for m in Member.objects.all():  # no ID numbers at all, masked or not
        assert m.id_masked not in raw
    for other in ("h2", "h3", "h4"):
        assert w.households[other].head_name not in raw
    assert len(r.content) < 15_000


def test_offline_data_refuses_strangers(tasks_county, client_for, client) -> None:
    w = tasks_county
    anonymous = client.get("/tasks/offline.json")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    assert client_for(w.dept).get("/tasks/offline.json").status_code == 404
    t2 = json.loads(client_for(w.t2).get("/tasks/offline.json").content)
    assert w.households["h1"].pk not in [h["id"] for h in t2["households"]]
    assert w.warning.pk not in [x["id"] for x in t2["tasks"]["warnings"]]


def test_visits_tab_lists_what_is_due_and_my_visits(tasks_county, client_for) -> None:
    w = tasks_county
    c = client_for(w.gw1)
    h1 = w.households["h1"]
    c.post(f"/cases/grid/visit/{h1.pk}/", {"mode": "in_person", "note": "看了"})
    text = c.get("/cases/grid/due/").content.decode()
    assert f"/cases/grid/visit/{h1.pk}/" in text and "看了" in text
    assert w.households["h2"].head_name not in client_for(w.gw1).get("/cases/grid/due/").content.decode()


def test_tasks_speak_the_readers_language(tasks_county, client_for) -> None:
    """In English the warning's rule and reason, the visit's reason and the case's state are English (issue
    #16: the rule name and the warning's reason were the stored Chinese)."""
    import re

    from django.conf import settings

    w = tasks_county
    gw1 = client_for(w.gw1)
    gw1.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = gw1.get("/tasks/").content.decode()
    head = re.search(r'<span class="task-head">.*?</span></span>', text, re.S)
    name = w.households["h1"].head_name
    assert head is not None and not re.search(r"[\u3400-\u9fff]", head.group(0).replace(name, ""))
    whys = re.findall(r'<span class="task-why">(.*?)</span>', text, re.S)
    assert whys and all(not re.search(r"[\u3400-\u9fff]", why) for why in whys), whys
    gw2 = client_for(w.gw2)
    gw2.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    case = gw2.get("/tasks/").content.decode()
    badge = re.search(rf'/cases/{w.case.pk}/.*?<span class="badge[^"]*">(.*?)</span>', case, re.S)
    assert badge is not None and not re.search(r"[\u3400-\u9fff]", badge.group(1)), badge
    zh = client_for(w.gw1).get("/tasks/").content.decode()
    assert w.warning.rule_name in zh and "监测户每月入户2次" in zh  # Chinese stays Chinese
