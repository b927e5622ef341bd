"""Pages: site overview with the indicator, workshop page with workers and payroll, operator access."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from bangfu.employment import selectors
from bangfu.employment.tests.conftest import Story, english, grid, hire
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db


def test_site_page_shows_indicator_and_action_list_to_its_officer_only(story: Story, client_for: Any) -> None:
    world = story.world
    hire(world.t1, story, registry.members_of(world.county, story.a.pk)[0], start="2024-10-01")
    url = reverse("employment:site_detail", args=[story.site.pk])
    page = client_for(world.t1).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "雪口山乡集中安置点" in html
    action_list = html.split('id="action-list"')[1].split("</table>")[0]
    assert "黎明甲" in action_list and "吉石罗布" not in action_list
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code == 404
    assert "雪口山乡集中安置点" in client_for(world.t1).get(reverse("employment:index")).content.decode()


def test_workshop_page_and_payroll_entry_by_the_operator(story: Story, client_for: Any) -> None:
    world = story.world
    c = hire(world.t1, story, registry.members_of(world.county, story.a.pk)[0])
    url = reverse("employment:workshop_detail", args=[story.workshop.pk])
    assert "吉石罗布" in client_for(world.t1).get(url).content.decode()
    ent = client_for(story.enterprise)
    page = ent.get(url, {"month": "2025-01"})
    assert page.status_code == 200 and "吉石罗布" in page.content.decode()
    assert "资金来源" not in page.content.decode()  # officers' sections are not shown to the operator
    entry = grid(c, "2025-01", pieces="600")
    post_url = reverse("employment:payroll", args=[story.workshop.pk])
    for outsider in (world.t2, world.gw2, story.stranger):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(post_url, entry).status_code in (403, 404)
    assert selectors.payslips_of(world.t1, c.pk).count() == 0
    assert ent.post(post_url, entry).status_code == 302
    slip = selectors.payslips_of(world.t1, c.pk).get()
    assert slip.gross == Decimal("3000.00")
    shown = ent.get(reverse("employment:payslip_detail", args=[slip.pk])).content.decode()
    assert "3,000.00" in shown
    assert client_for(world.t2).get(reverse("employment:payslip_detail", args=[slip.pk])).status_code == 404


def test_bad_payroll_entry_rerenders_with_a_bilingual_message_and_saves_nothing(story: Story, client_for: Any) -> None:
    c = hire(story.world.t1, story, registry.members_of(story.world.county, story.a.pk)[0])
    post_url = reverse("employment:payroll", args=[story.workshop.pk])
    page = client_for(story.enterprise).post(post_url, grid(c, "2025-01", worked="二十"))
    html = page.content.decode()
    assert page.status_code == 422 and "不是整数" in html
    en = english(client_for(story.enterprise)).post(post_url, grid(c, "2025-01", worked="二十"))
    assert "not a whole number" in en.content.decode()
    assert selectors.payslips_of(story.world.t1, c.pk).count() == 0


def test_recognise_from_the_page_is_refused_with_the_unmet_criteria(story: Story, client_for: Any) -> None:
    url = reverse("employment:transition", args=[story.workshop.pk])
    page = client_for(story.world.t1).post(url, {"event": "recognise"})
    assert page.status_code == 422 and "吸纳脱贫人口就业人数为0" in page.content.decode()
    assert client_for(story.world.t2).post(url, {"event": "recognise"}).status_code in (403, 404)
    assert selectors.workshop_get(story.world.t1, story.workshop.pk).status == "applied"
