"""The warning page reads as a cadre reads it (UX review journey 1 step 9, P5): the rule's name, not its
code; facts as the sentence writes them beside their 阈值; the household in brief; whom `assign`
assigns; history by state labels; the household's grid worker verifies without assigning himself;
the decisions that cannot be undone ask first."""

from __future__ import annotations

import re

import pytest

from bangfu.monitoring import services
from bangfu.monitoring.models import Warning

pytestmark = pytest.mark.django_db


def _page(client, w) -> str:
    return client.get(f"/monitoring/warnings/{w.pk}/").content.decode()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1])


def test_the_page_shows_words_not_codes(world, warning, client_for) -> None:
    body = _page(client_for(world.t1), warning)
    text = _text(body)
    assert warning.rule_code not in text and "disaster_loss" not in text and "open" not in text.split()
    assert "灾害损失" in text and "25,000 元（阈值 10,000 元）" in text and "比较值" not in text
    assert "指派给网格员gw1核实" in text  # says whom it assigns
    assert "家庭人口" in text and "在办案件" in text


def test_the_english_page_names_the_rule_in_english(world, warning, client_for) -> None:
    c = client_for(world.t1)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = _text(_page(c, warning))
    assert "threshold" in text and "Assign to the grid worker gw1 to verify" in text
    assert "灾害损失" not in text.replace(warning.explanation, "")  # the Chinese sentence is data, the rest English


def test_history_shows_state_labels(world, warning, client_for) -> None:
    services.warning_transition(actor=world.t1, warning=warning, event="assign")
    text = _text(_page(client_for(world.t1), warning))
    assert "待处理 → 已指派" in text and "open → assigned" not in text


def test_the_grid_worker_verifies_without_assigning_himself(world, warning, client_for) -> None:
    c = client_for(world.gw1)
    body = _page(c, warning)
    assert 'value="verify"' in body and 'value="assign"' not in body
    r = c.post(f"/monitoring/warnings/{warning.pk}/", {"event": "verify", "reason": "入户核实：房屋受损"})
    assert r.status_code == 302
    w = Warning.objects.get(pk=warning.pk)
    assert (w.status, w.assigned_to) == ("verified", world.gw1)


def test_decisions_ask_for_confirmation_first(world, warning, client_for) -> None:
    services.warning_transition(actor=world.t1, warning=warning, event="assign")
    services.warning_transition(actor=world.gw1, warning=warning, event="verify", reason="已核实")
    c = client_for(world.t1)
    body = _page(c, warning)
    assert re.search(r'value="dismiss" data-confirm="[^"]*户主\d+户', body)
    assert re.search(r'value="escalate" data-confirm="[^"]*不能撤销', body)
    r = c.post(f"/monitoring/warnings/{warning.pk}/", {"event": "dismiss", "reason": "  "})
    assert r.status_code == 422 and Warning.objects.get(pk=warning.pk).status == "verified"


def test_outsiders_see_nothing(world, warning, client_for) -> None:
    for user in (world.t2, world.gw2):
        assert client_for(user).get(f"/monitoring/warnings/{warning.pk}/").status_code == 404
        r = client_for(user).post(f"/monitoring/warnings/{warning.pk}/", {"event": "verify", "reason": "x"})
        assert r.status_code in (403, 404)
    assert Warning.objects.get(pk=warning.pk).status == "open"


def test_a_step_the_warning_is_past_shows_the_page_again_with_its_own_status(world, warning, client_for) -> None:
    """The one form rule (core.views.form_post): the page is shown again with the error's own status, 409
    for a step out of order (it was 422 for every refusal), the problem in words, and nothing changes."""
    c = client_for(world.gw1)
    assert c.post(f"/monitoring/warnings/{warning.pk}/", {"event": "verify", "reason": "已核实"}).status_code == 302
    again = c.post(f"/monitoring/warnings/{warning.pk}/", {"event": "verify", "reason": "再核实一次"})
    assert again.status_code == 409 and 'class="errorlist"' in again.content.decode()
    assert Warning.objects.get(pk=warning.pk).status == "verified"
    assert Warning.objects.get(pk=warning.pk).events.filter(event="verify").count() == 1
