"""Bad input to every write endpoint of the API, generated from the published OpenAPI document.

For each POST/PUT/PATCH operation with a JSON body, each field of the body (and of the first item of
a list of objects) gets, in turn, an oversized, out-of-range, wrong-type or invisible-character value;
the other required fields get plain placeholders, and path ids point at objects of the test county.
Every answer must be a 4xx with a bilingual message (message + message_en), and no row of any Bangfu
table may have been added or removed. The list of endpoints is never written by hand: a new endpoint
is tested by being published.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

HUGE_TEXT = "长" * 100_000
STRING_VARIANTS = {
    "oversized": HUGE_TEXT,
    "zero_width_only": "\u200b\u200b",
    "nul": "a\x00b",
    "control": "a\x01\x02b",
    "bidi_override": "abc\u202edef",
    "lone_surrogate": "\ud800",
    "wrong_type": {"x": 1},
}
NUMBER_VARIANTS = {
    "huge": "1e30",
    "huge_negative": "-1e30",
    "beyond_column": "10000000000",
    "not_finite": "NaN",
    "wrong_type": {"x": 1},
}
INTEGER_VARIANTS = {"huge": 2**70, "huge_negative": -(2**70), "beyond_int64": 2**63, "wrong_type": "abc"}
DATE_VARIANTS = {"year_0044": "0044-04-14", "year_9999": "9999-12-31", "month_13": "2026-13-01"}
BOOLEAN_VARIANTS = {"wrong_type": {"x": 1}}

# The object a path id points at, by the path segment before it.
SEGMENT_MODELS = {
    "households": "registry.Household",
    "members": "registry.Member",
    "income-items": "registry.IncomeItem",
    "areas": "areas.Area",
    "grids": "areas.Grid",
}


def _doc() -> dict[str, Any]:
    from bangfu.core.testing_api import published_document

    return published_document()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _doc()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        options = [_resolve(s) for s in schema["anyOf"] if s.get("type") != "null"]
        types = {s.get("type") for s in options}
        if types == {"number", "string"}:  # pydantic's Decimal
            return {"type": "number"}
        return options[0] if options else {"type": "null"}
    return schema


def _placeholder(schema: dict[str, Any]) -> Any:
    s = _resolve(schema)
    if "enum" in s:
        return s["enum"][0]
    kind = s.get("type")
    if kind == "string":
        return "2025-06-01" if s.get("format") == "date" else "测试"
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [_placeholder(s["items"])] if _resolve(s.get("items", {})).get("type") == "object" else []
    if kind == "object":
        props = s.get("properties", {})
        return {k: _placeholder(props[k]) for k in s.get("required", []) if k in props}
    return None


def _variants(schema: dict[str, Any]) -> dict[str, Any]:
    s = _resolve(schema)
    kind = s.get("type")
    if kind == "string" and s.get("format") == "date":
        return DATE_VARIANTS
    if kind == "string":
        return STRING_VARIANTS
    if kind == "number":
        return NUMBER_VARIANTS
    if kind == "integer":
        return INTEGER_VARIANTS
    if kind == "boolean":
        return BOOLEAN_VARIANTS
    return {}


def _bad_bodies(body_schema: dict[str, Any]):
    """(field path, variant name, body) for every field of the body and of its first list item."""
    s = _resolve(body_schema)
    base = _placeholder(s)
    for name, prop in s.get("properties", {}).items():
        for variant, value in _variants(prop).items():
            yield name, variant, {**base, name: value}
        inner = _resolve(prop)
        if inner.get("type") == "array" and _resolve(inner.get("items", {})).get("type") == "object":
            item_schema = _resolve(inner["items"])
            item = _placeholder(item_schema)
            for sub, sub_prop in item_schema.get("properties", {}).items():
                for variant, value in _variants(sub_prop).items():
                    yield f"{name}.0.{sub}", variant, {**base, name: [{**item, sub: value}]}


def write_operations():
    from bangfu.core.testing_api import all_operations

    for op in all_operations():
        content = (op.spec.get("requestBody") or {}).get("content") or {}
        if op.method in ("POST", "PUT", "PATCH") and "application/json" in content:
            yield op, content["application/json"]["schema"]


def _path(template: str, ids: dict[str, int]) -> str:
    def fill(m: re.Match[str]) -> str:
        before = template[: m.start()].rstrip("/").rsplit("/", 1)[-1]
        return str(ids.get(before, 1))

    return re.sub(r"\{[^}]+\}", fill, template)


def _row_count() -> int:
    """Rows of every Bangfu table (history and audit included), in one query."""
    from django.apps import apps
    from django.db import connection

    tables = sorted(
        {m._meta.db_table for m in apps.get_models() if m.__module__.startswith("bangfu.") and m._meta.managed}
    )
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute("SELECT " + " + ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables))
        return int(cur.fetchone()[0])


def _ids() -> dict[str, int]:
    from django.apps import apps

    out = {}
    for segment, label in SEGMENT_MODELS.items():
        obj = apps.get_model(label).objects.order_by("pk").first()
        if obj is not None:
            out[segment] = obj.pk
    return out


def test_every_write_endpoint_refuses_bad_input_bilingually_and_stores_nothing(world, api_for):
    from django.test import Client

    from bangfu.accounts import services

    token = services.token_create(user=world.county, name="bad-input")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.raise_request_exception = False
    ids = _ids()
    failures: list[str] = []
    operations = requests = 0
    statuses: dict[int, int] = {}
    for op, schema in write_operations():
        operations += 1
        url = "/api/v1" + _path(op.template.removeprefix("/api/v1"), ids)
        for field_path, variant, body in _bad_bodies(schema):
            requests += 1
            before = _row_count()
            r = client.generic(op.method, url, json.dumps(body), "application/json")  # \ud800 stays escaped
            where = f"{op.method} {op.template} {field_path}={variant}"
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if not 400 <= r.status_code < 500:
                failures.append(f"{where} → {r.status_code} {r.content[:200]!r}")
                continue
            problem = r.json()
            if not (problem.get("message") and problem.get("message_en")):
                failures.append(f"{where} → {r.status_code} without a bilingual message: {problem}")
            if _row_count() != before:
                failures.append(f"{where} → {r.status_code} but rows were stored")
    print(f"\nbad input: {operations} write operations, {requests} requests, statuses {sorted(statuses.items())}")
    assert operations >= 50 and requests > 500
    assert not failures, "\n".join(failures[:80])
