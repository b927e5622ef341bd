"""API fuzz gate: schemathesis against the served OpenAPI document, in-process (WSGI), both databases.

For every operation of /api/v1 and two tokens (county admin, grid worker), a bounded, derandomised
number of generated requests — valid and invalid — must give no server error and no response that
violates the published schema. Failures are collected (no shrinking) and reported together.
"""

from __future__ import annotations

import os
import time

import pytest

FUZZ_EXAMPLES = int(os.environ.get("BANGFU_FUZZ_EXAMPLES", "6"))


def _runner(op, headers, failures, counter):
    from hypothesis import HealthCheck, Phase, given, settings
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
    @given(case=op.as_strategy())
    def run(case):
        counter[0] += 1
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
        _runner(result.ok(), headers, failures, counter)()
    took = time.monotonic() - start
    print(f"\nfuzz[{who}]: {ops} operations, {counter[0]} cases, {took:.1f} s, {len(failures)} failures")
    assert not failures, "\n".join(sorted(set(failures))[:80])


@pytest.fixture
def api_token_for(transactional_db):
    from bangfu.accounts import services

    return lambda user: services.token_create(user=user, name="fuzz")


@pytest.fixture
def fuzz_world(transactional_db):
    from bangfu.core.testing import world

    return world()


def test_fuzz_county_admin(fuzz_world, api_token_for):
    _fuzz(fuzz_world, api_token_for, "county")


def test_fuzz_grid_worker(fuzz_world, api_token_for):
    _fuzz(fuzz_world, api_token_for, "gw1")
