"""Employment input parsed at the edge (`employment.inputs`): the services take typed values, a form shows
every problem of what was typed at once beside its field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from bangfu.core.errors import ValidationFailed
from bangfu.employment import inputs
from bangfu.employment.models import Contract, TrainingCourse, WelfarePost
from bangfu.employment.tests.conftest import Story

pytestmark = pytest.mark.django_db


def test_the_parsers_hand_the_services_typed_values() -> None:
    c = inputs.contract_input(
        {"id_number": " 511133 ", "job": "缝纫工", "start": "2024-10-01", "term_months": "24", "wage_code": "SEW"}
        | {"probation_months": "", "probation_pay": ""}
    )
    assert (c.start, c.term_months, c.probation_months, c.probation_pay) == (dt.date(2024, 10, 1), 24, 0, Decimal(0))
    assert (c.member_id, c.id_number) == (None, "511133")
    rule = inputs.wage_rule_input(
        {"code": "SEW", "name": "缝纫", "effective_from": "2024-01-01", "kind": "day", "day_rate": "120.5", "cap": ""}
    )
    assert (rule.day_rate, rule.base, rule.cap) == (Decimal("120.50"), Decimal(0), None)
    assert inputs.share("40") == inputs.share("40%") == inputs.share("0.4") == Decimal("0.4000")


def test_every_problem_of_a_form_is_reported_at_once_beside_its_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        inputs.contract_input({"job": "", "start": "2024-13-01", "term_months": "0", "wage_code": "SEW"})
    assert {p.field for p in exc.value.problems} == {"job", "start", "term_months"}
    with pytest.raises(ValidationFailed) as exc:
        inputs.post_input({"level": "county", "post_type": "护林员", "start": "2025-01-01", "monthly_pay": "0"})
    assert {p.field for p in exc.value.problems} == {"level", "monthly_pay"}
    assert "请选择岗位级别" in exc.value.problems[0].zh  # the words the service used to say, unchanged


def test_the_hire_form_shows_all_its_problems_and_hires_nobody(story: Story, client_for: Any) -> None:
    url = reverse("employment:contract_create", args=[story.workshop.pk])
    hire = {"id_number": "", "job": "缝纫工", "start": "去年十月", "term_months": "两年", "wage_code": "SEW"}
    page = client_for(story.world.t1).post(url, hire)
    html = page.content.decode()
    assert page.status_code == 422 and "如 2026-01-15" in html and "不是整数" in html
    assert 'value="去年十月"' in html  # what was typed is kept
    for outsider in (story.world.t2, story.world.gw2):
        assert client_for(outsider).post(url, hire).status_code in (403, 404)
    assert not Contract.objects.exists()


def test_a_course_form_naming_a_workshop_that_is_no_number_is_a_problem_not_a_crash(
    story: Story, client_for: Any
) -> None:
    """Before: the service looked the text up as a primary key, and the page answered 500."""
    course = {"workshop": "abc", "skill": "锁边", "provider": "厂内", "province": "四川", "place": "车间"}
    course |= {"start": "2024-11-01", "end": "2024-11-02", "hours": "16"}
    page = client_for(story.world.t1).post(reverse("employment:course_new"), course)
    assert page.status_code == 422 and "请选择一个村(社区)" in page.content.decode()
    assert not TrainingCourse.objects.exists()


def test_a_blank_amount_asks_to_be_filled_in(story: Story, client_for: Any) -> None:
    post = {"post_type": "生态护林员", "level": "village", "start": "2025-01-01", "monthly_pay": ""}
    page = client_for(story.world.t1).post(reverse("employment:post_create"), post | {"id_number": "x"})
    assert page.status_code == 422 and "请填写金额（元）" in page.content.decode()
    assert not WelfarePost.objects.exists()
