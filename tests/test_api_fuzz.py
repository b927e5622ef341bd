"""API fuzz gate: schemathesis against the served OpenAPI document, in-process (WSGI), both databases.

For every operation of /api/v1 and two tokens (county admin, grid worker), a bounded, derandomised
number of generated requests — valid and invalid — must give no server error and no response that
violates the published schema. Failures are collected (no shrinking) and reported together.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

FUZZ_EXAMPLES = int(os.environ.get("BANGFU_FUZZ_EXAMPLES", "6"))


def _runner(op, headers, failures, counter, pool):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(), pick=st.integers(0, 2 * len(pool) - 1))
    def run(case, pick):
        counter[0] += 1
        if pick < len(pool) and case.path_parameters:  # half the cases aim at objects that exist
            case.path_parameters = {
                k: (pool[pick] if isinstance(v, int) else v) for k, v in case.path_parameters.items()
            }
        response = case.call(headers=headers)
        for check in (not_a_server_error, response_schema_conformance):
            try:
                case.validate_response(response, checks=[check])
            except (Exception, BaseExceptionGroup) as exc:  # collected, reported together below
                failures.append(f"{op.method.upper()} {op.path} → {response.status_code}: {str(exc)[:400]}")

    return run


def _fuzz(world, api_token_for, who):
    import logging

    import schemathesis

    from bangfu.wsgi import application

    token = api_token_for(getattr(world, who))
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, headers=headers)
    failures: list[str] = []
    counter = [0]
    ops = 0
    start = time.monotonic()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx/5xx are counted, not logged
    for result in schema.get_all_operations():
        ops += 1
        _runner(result.ok(), headers, failures, counter, _existing_ids())()
    took = time.monotonic() - start
    print(f"\nfuzz[{who}]: {ops} operations, {counter[0]} cases, {took:.1f} s, {len(failures)} failures")
    assert not failures, "\n".join(sorted(set(failures))[:80])


@pytest.fixture
def api_token_for(transactional_db):
    from bangfu.accounts import services

    return lambda user: services.token_create(user=user, name="fuzz")


def _existing_ids() -> list[int]:
    """Primary keys that exist in the test county (households, members, claims, cases, …)."""
    from django.apps import apps

    ids: set[int] = set()
    for label in (
        "registry.Household",
        "registry.Member",
        "insurance.Scheme",
        "insurance.Claim",
        "casework.Case",
        "areas.Grid",
        "registry.IncomeItem",
        "monitoring.Warning",
    ):
        ids.update(apps.get_model(label).objects.values_list("pk", flat=True)[:20])
    return sorted(ids) or [1]


@pytest.fixture
def fuzz_world(transactional_db):
    """The test county, plus a scheme with a claim and an open case for the fuzzer to find."""
    from bangfu.casework import services as casework
    from bangfu.insurance.tests import helpers as insurance
    from bangfu.testing import world

    w = world()
    h1 = w.households["h1"]
    insurance.scheme(w.county, w.area_county.code)
    insurance.submit(w.gw1, h1.pk)
    casework.params_set(
        actor=None, area_code=w.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    casework.case_open(actor=w.gw2, household=w.households["h2"], source="grid", summary="fuzz")
    return w


def test_fuzz_county_admin(fuzz_world, api_token_for):
    _fuzz(fuzz_world, api_token_for, "county")


def test_fuzz_grid_worker(fuzz_world, api_token_for):
    _fuzz(fuzz_world, api_token_for, "gw1")
