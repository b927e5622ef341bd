"""The published API document is true (reliability review D13).

Every API test already checks its traffic against the document (conftest `api_for` hands out
`bangfu.core.testing_api.ContractClient`); these tests check the document itself and walk the GET
operations the test county can answer.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from bangfu.casework import services as casework
from bangfu.core.testing_api import (
    ContractClient,
    all_operations,
    published_document,
    response_problems,
    schema_classes_by_name,
    schema_name_clashes,
)
from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db


def test_no_two_schema_classes_are_published_under_one_name() -> None:
    shared = {name: sorted(classes) for name, classes in schema_classes_by_name().items() if len(classes) > 1}
    assert shared == {}


def test_every_published_schema_name_has_one_shape() -> None:
    # Ninja keeps the last schema of a name: casework's case events were published with the
    # analytics timeline's shape, so every GET /casework/cases/{id} violated the document.
    assert schema_name_clashes() == {}


def test_operation_ids_are_unique_and_name_the_apps_api() -> None:
    # An api.py that became a package (market/api/orders.py …) keeps the ids clients generated code from:
    # bangfu_market_api_order_place, not bangfu_market_api_orders_order_place.
    ids = [op.spec["operationId"] for op in all_operations()]
    assert len(ids) == len(set(ids))
    apps = {p.name for p in settings.BASE_DIR.iterdir() if (p / "apps.py").exists()}
    pattern = re.compile(rf"^bangfu_({'|'.join(sorted(apps))})_api_[a-z0-9_]+$")
    assert [i for i in ids if not pattern.match(i)] == []
    assert "bangfu_market_api_order_place" in ids


def test_the_served_document_is_the_one_checked(world, client_for) -> None:
    served = client_for(world.county).get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert json.loads(served.content) == published_document()


def test_every_operation_documents_its_problem_responses() -> None:
    problem = "#/components/schemas/ProblemOut"
    for op in all_operations():
        for status in ("401", "403", "404", "422"):
            documented = op.spec["responses"].get(status)
            assert documented, f"{op.method} {op.template} does not document {status}"
            if "content" in documented:
                assert documented["content"]["application/json"]["schema"]["$ref"] == problem, (op.template, status)


def test_a_response_against_the_document_is_checked(world) -> None:
    """The checker itself: a wrong shape, an undocumented status, an undocumented type all fail."""
    op = next(o for o in all_operations() if o.method == "GET" and o.template == "/api/v1/casework/cases/{case_id}")
    assert response_problems(op, 200, "application/json", b'{"id": 1}')
    assert response_problems(op, 418, "application/json", b"{}")
    assert response_problems(op, 404, "text/html", b"<html>")
    problem = b'{"status": 404, "code": "not_found", "message": "\\u672a\\u627e\\u5230", "message_en": "Not found"}'
    assert response_problems(op, 404, "application/json", problem) == []


@pytest.fixture
def county_with_a_case(world):
    """world + casework parameters, a case with a step and a measure, province rules, an income line,
    a 三保障 check and a resettlement site: something behind every GET the test county can answer."""
    today = timezone.localdate()
    h1 = world.households["h1"]
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    world.case = casework.case_open(actor=world.t1, household=h1, source="grid", summary="突发疾病", on=today)
    casework.case_step(actor=world.t1, case=world.case, event="accept", on=today, note="受理")
    casework.measure_add(
        actor=world.v1, case=world.case, category="employment", title="公益岗位", responsible="村书记", starts_on=today
    )
    world.ruleset = rules_in_force(world)
    registry.income_record(household_id=h1.pk, year=today.year, item="wage.local", amount="1200", source="manual")
    registry.guarantee_check_record(
        actor=None,
        household=h1,
        checked_on=today,
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
    )
    world.site = registry.site_create(actor=None, area_code=world.v1a.code, name="羊店儿村安置点", kind="town")
    return world


# Lists the test county leaves empty; their apps' API tests fill them (and the same ContractClient checks them).
EMPTY_HERE = {
    "/api/v1/monitoring/warnings",
    "/api/v1/casework/my-households",
    "/api/v1/casework/overdue",
    "/api/v1/insurance/schemes",
    "/api/v1/insurance/claims",
    "/api/v1/insurance/households/{household_id}/claims",
    "/api/v1/employment/workshops",
    "/api/v1/market/catalogue",
    "/api/v1/market/enterprises",
    "/api/v1/market/certifications",
    "/api/v1/market/buyers",
    "/api/v1/market/orders",
}


def _get_paths(w) -> dict[str, str]:
    """The GET operations the test county can answer, with its objects in their paths."""
    h1 = w.households["h1"]
    member = h1.members.first()
    year = timezone.localdate().year
    return {
        "/api/v1/accounts/me": "/api/v1/accounts/me",
        "/api/v1/areas/tree": "/api/v1/areas/tree",
        "/api/v1/areas/{code}": f"/api/v1/areas/{w.v1a.code}",
        "/api/v1/registry/households": "/api/v1/registry/households",
        "/api/v1/registry/households/{pk}": f"/api/v1/registry/households/{h1.pk}",
        "/api/v1/registry/households/{pk}/members": f"/api/v1/registry/households/{h1.pk}/members",
        "/api/v1/registry/members/{pk}": f"/api/v1/registry/members/{member.pk}",
        "/api/v1/registry/households/{pk}/statements": f"/api/v1/registry/households/{h1.pk}/statements",
        "/api/v1/rules/facts": "/api/v1/rules/facts",
        "/api/v1/rules/rulesets": "/api/v1/rules/rulesets",
        "/api/v1/monitoring/warnings": "/api/v1/monitoring/warnings",
        "/api/v1/casework/cases": "/api/v1/casework/cases",
        "/api/v1/casework/cases/{case_id}": f"/api/v1/casework/cases/{w.case.pk}",
        "/api/v1/casework/my-households": "/api/v1/casework/my-households",
        "/api/v1/casework/overdue": "/api/v1/casework/overdue",
        "/api/v1/insurance/schemes": "/api/v1/insurance/schemes",
        "/api/v1/insurance/claims": "/api/v1/insurance/claims",
        "/api/v1/insurance/households/{household_id}/claims": f"/api/v1/insurance/households/{h1.pk}/claims",
        "/api/v1/employment/workshops": "/api/v1/employment/workshops",
        "/api/v1/employment/policies": f"/api/v1/employment/policies?area={w.area_county.code}",
        "/api/v1/market/catalogue": "/api/v1/market/catalogue",
        "/api/v1/market/enterprises": "/api/v1/market/enterprises",
        "/api/v1/market/certifications": "/api/v1/market/certifications",
        "/api/v1/market/buyers": "/api/v1/market/buyers",
        "/api/v1/market/orders": "/api/v1/market/orders",
        "/api/v1/analytics/indicators": "/api/v1/analytics/indicators",
        "/api/v1/analytics/households/{household_id}/timeline": f"/api/v1/analytics/households/{h1.pk}/timeline",
        "/api/v1/registry/households/{pk}/statements/{year}": f"/api/v1/registry/households/{h1.pk}/statements/{year}",
        "/api/v1/registry/households/{pk}/guarantees": f"/api/v1/registry/households/{h1.pk}/guarantees",
        "/api/v1/registry/sites": "/api/v1/registry/sites",
        "/api/v1/registry/sites/{pk}": f"/api/v1/registry/sites/{w.site.pk}",
        "/api/v1/rules/rulesets/{pk}": f"/api/v1/rules/rulesets/{w.ruleset.pk}",
        "/api/v1/casework/measures": "/api/v1/casework/measures",
        "/api/v1/casework/cases/{case_id}/measures": f"/api/v1/casework/cases/{w.case.pk}/measures",
        "/api/v1/casework/config": "/api/v1/casework/config",
        "/api/v1/casework/grids": "/api/v1/casework/grids",
        "/api/v1/casework/grids/{code}": f"/api/v1/casework/grids/{w.v1a.code}",
        "/api/v1/accounts/audit": "/api/v1/accounts/audit",
    }


def test_get_operations_answer_as_published(county_with_a_case, api_for) -> None:
    """The county admin's GETs over the test county validate against the document (ContractClient
    raises on the first departure): before the fix the case detail's events failed here."""
    w = county_with_a_case
    client = api_for(w.county)
    assert isinstance(client, ContractClient)
    for template, url in _get_paths(w).items():
        r = client.get(url)
        assert r.status_code == 200, (template, r.status_code, r.content[:300])
        if isinstance(r.json(), list) and template not in EMPTY_HERE:
            assert r.json(), f"{template} answered an empty list: nothing was checked against its schema"
    detail = client.get(f"/api/v1/casework/cases/{w.case.pk}").json()
    assert [e["event"] for e in detail["events"]] == ["open", "accept", "plan"]


def test_refusals_answer_as_published(county_with_a_case, api_for) -> None:
    """404 for another township's household, 401 without a token, 422 for a wrong type: all are
    documented problem documents (ContractClient checks them)."""
    w = county_with_a_case
    h1 = w.households["h1"]
    assert api_for(w.t2).get(f"/api/v1/registry/households/{h1.pk}").status_code == 404
    assert api_for(w.t2).get(f"/api/v1/casework/cases/{w.case.pk}").status_code == 404
    assert api_for(w.county).get("/api/v1/registry/households/not-a-number").status_code == 422
    anonymous = ContractClient()
    assert anonymous.get("/api/v1/registry/households").status_code == 401
    assert isinstance(anonymous, Client)
