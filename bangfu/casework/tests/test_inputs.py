"""Casework settings parsed at the edge (`casework.inputs`): the parameters service takes `ParamValues`,
typed, whose fields are the model's own; the page and the API say what is wrong beside each field."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from bangfu.casework import services
from bangfu.casework.inputs import PARAM_FIELDS, param_values
from bangfu.casework.models import CaseParameters
from bangfu.core.errors import ValidationFailed

API = "/api/v1/casework"
JSON = "application/json"


def test_the_typed_values_are_the_models_editable_fields() -> None:
    assert [f.name for f in dataclasses.fields(services.ParamValues)] == [f.name for f in PARAM_FIELDS]


def test_the_form_and_the_api_body_become_the_same_typed_values() -> None:
    form = param_values({"notice_days": "7", "exclude_no_labour": "1", "require_guarantees": ""})
    body = param_values({"notice_days": 7, "exclude_no_labour": True, "require_guarantees": False})
    assert form == body == services.ParamValues(notice_days=7, exclude_no_labour=True, require_guarantees=False)
    assert form.given() == {"notice_days": 7, "exclude_no_labour": True, "require_guarantees": False}
    with pytest.raises(ValidationFailed) as exc:
        param_values({"notice_days": "七", "speed": 3, "accept_days": True})
    assert {(p.field, p.zh) for p in exc.value.problems} == {
        ("speed", "未知参数"),
        ("notice_days", "“公示天数”须为整数"),
        ("accept_days", "“乡镇受理时限(工作日)”须为整数"),
    }


@pytest.mark.django_db
def test_an_unknown_parameter_over_the_api_is_shown_beside_it_and_nothing_is_saved(world, params, api_for) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"area": world.area_county.code, "effective_from": tomorrow, "values": {"speed": 3, "notice_days": 7}}
    answer = api_for(world.county).post(f"{API}/config/params", body, content_type=JSON)
    assert answer.status_code == 422 and [e["field"] for e in answer.json()["errors"]] == ["speed"]
    assert CaseParameters.objects.count() == 1
    for who in (world.t2, world.gw2):
        assert api_for(who).post(f"{API}/config/params", body, content_type=JSON).status_code in (403, 404)
    assert CaseParameters.objects.count() == 1
