"""Workshop operators' 统一社会信用代码 are checked like the market's enterprises: GB 32100 with its check
character, by the one validator in core/domain/credit_code.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from bangfu.core.domain import credit_code
from bangfu.core.errors import ValidationFailed
from bangfu.employment import inputs, services
from bangfu.employment.models import Operator, Workshop
from bangfu.employment.tests.conftest import Story, english

pytestmark = pytest.mark.django_db

WRONG_CHECK = "91511133MA62XXXX0Q"  # right shape, wrong check character (…0N is the valid one)


def _values(story: Story, code: str) -> dict[str, Any]:
    w = story.world
    return {
        "name": "雪口山乡扶贫工厂二车间",
        "kind": "factory",
        "village": w.v1b.code,
        "land_village": w.v1b.code,
        "started_on": "2024-03-01",
        "operator_name": "马边另一家针纺公司",
        "operator_credit_code": code,
        "insurance_per_worker_month": "15",
    }


def test_a_code_with_a_wrong_check_character_is_refused_bilingually(story: Story) -> None:
    before = (Workshop.objects.count(), Operator.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        services.workshop_create(actor=story.world.t1, workshop=inputs.workshop_input(_values(story, WRONG_CHECK)))
    [p] = exc.value.problems
    assert p.field == "operator_credit_code" and "校验位" in p.zh and "check character" in p.en
    assert (Workshop.objects.count(), Operator.objects.count()) == before


def test_lower_case_and_full_width_codes_are_normalised_to_the_valid_code(story: Story) -> None:
    code = credit_code.make("93", "511133", "MA6B7C8D9")  # a co-op
    typed = code.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})  # full-width digits
    w = services.workshop_create(actor=story.world.t1, workshop=inputs.workshop_input(_values(story, typed)))
    assert w.operator.credit_code == code


def test_market_and_employment_share_one_validator() -> None:
    from bangfu.employment import inputs as workshops  # where employment parses the workshop form
    from bangfu.market.services import _guard

    assert workshops.credit_code.parse is credit_code.parse  # type: ignore[attr-defined]  # the name each app uses
    assert _guard.parse is credit_code.parse  # type: ignore[attr-defined]  # market checks the code in its guard module


def test_api_and_page_refuse_the_wrong_check_character(story: Story, api_for: Any, client_for: Any) -> None:
    import json

    before = Workshop.objects.count()
    body = _values(story, WRONG_CHECK)
    r = api_for(story.world.t1).post("/api/v1/employment/workshops", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and "校验位" in json.dumps(r.json(), ensure_ascii=False)
    page = english(client_for(story.world.t1)).post(reverse("employment:workshop_new"), body)
    assert page.status_code == 422 and "check character" in page.content.decode()
    valid = body | {"operator_credit_code": credit_code.make("91", "511133", "MA6B7C8D9")}
    r = api_for(story.world.t2).post("/api/v1/employment/workshops", json.dumps(valid), content_type="application/json")
    assert r.status_code in (403, 404)  # the neighbouring township changes nothing here
    assert Workshop.objects.count() == before
