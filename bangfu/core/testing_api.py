"""The published API contract, checked in tests: every request the API accepts and every response it
sends must validate against /api/v1/openapi.json (the document integrators generate clients from).

`ContractClient` is the test client of the `api_for` fixture (conftest.py), so every API test of
every app checks its traffic; `schema_name_clashes()` finds two Schema classes published under one
name (Ninja keeps only the last one, and the document then describes the wrong shape).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from jsonschema import Draft202012Validator

API_PREFIX = "/api/v1/"
_NOT_CHECKED = ("openapi.json", "docs")


@cache
def published_document() -> dict[str, Any]:
    """The document /api/v1/openapi.json serves (the same generator, without an HTTP round trip)."""
    from bangfu.api import api

    document: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return document


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]


@cache
def _operations() -> tuple[tuple[re.Pattern[str], Operation], ...]:
    found = []
    for template, methods in published_document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, spec in methods.items():
            found.append((template.count("{"), pattern, Operation(method.upper(), template, spec)))
    found.sort(key=lambda t: t[0])  # a literal path wins over a template that also matches it
    return tuple((pattern, op) for _, pattern, op in found)


def operation_for(method: str, path: str) -> Operation | None:
    for pattern, op in _operations():
        if op.method == method.upper() and pattern.match(path):
            return op
    return None


def all_operations() -> list[Operation]:
    return [op for _, op in _operations()]


@cache
def _validator(pointer: tuple[str, ...]) -> Draft202012Validator:
    doc = published_document()
    node: Any = doc
    for part in pointer:
        node = node[part]
    root = {**node, "components": doc["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(pointer: tuple[str, ...], instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in _validator(pointer).iter_errors(instance)
    ]


def _pointer(op: Operation, *parts: str) -> tuple[str, ...]:
    return ("paths", op.template, op.method.lower(), *parts)


def response_problems(op: Operation, status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with a response of `op` by the document (an empty list when nothing is)."""
    responses = op.spec.get("responses", {})
    documented = responses.get(str(status))
    if documented is None:
        return [f"status {status} is not documented (documented: {sorted(responses)})"]
    content = documented.get("content") or {}
    media = content_type.split(";")[0].strip()
    if not content:
        return []
    if media not in content:
        return [f"content type {media!r} is not documented for {status} (documented: {sorted(content)})"]
    if "schema" not in content[media] or not media.endswith("json"):
        return []
    try:
        instance = json.loads(body)
    except ValueError:
        return [f"the {status} body is not JSON"]
    return _errors(_pointer(op, "responses", str(status), "content", media, "schema"), instance)


def request_problems(op: Operation, content_type: str, body: bytes) -> list[str]:
    """What is wrong with a JSON request body by the document (checked for accepted requests)."""
    media = content_type.split(";")[0].strip()
    content = (op.spec.get("requestBody") or {}).get("content") or {}
    if media != "application/json" or body.strip() in (b"", b"{}"):
        return []  # nothing sent (an empty object to an operation without a body carries nothing)
    if media not in content:
        return [f"a JSON body was accepted, but the document declares {sorted(content) or 'no body'}"]
    try:
        instance = json.loads(body)
    except ValueError:
        return ["the accepted request body is not JSON"]
    return _errors(_pointer(op, "requestBody", "content", media, "schema"), instance)


class ContractClient(Client):
    """A test client that fails the test when API traffic departs from the published document."""

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[Any, Any] | None = None,
        **extra: Any,
    ) -> Any:
        response = super().generic(
            method, path, data, content_type, secure=secure, headers=headers, query_params=query_params, **extra
        )
        url = urlsplit(str(path)).path
        if url.startswith(API_PREFIX) and not url.endswith(_NOT_CHECKED):
            self._check(method, url, data, content_type or "", response)
        return response

    @staticmethod
    def _check(method: str, url: str, data: Any, content_type: str, response: Any) -> None:
        op = operation_for(method, url)
        if op is None:
            if response.status_code == 404:
                return  # not an operation at all: Django's own 404
            raise AssertionError(f"{method} {url} answered {response.status_code} but is not in the document")
        body = getattr(response, "content", b"") if not getattr(response, "streaming", False) else b""
        problems = response_problems(op, response.status_code, response.get("Content-Type", ""), body)
        if 200 <= response.status_code < 300:
            raw = data.encode() if isinstance(data, str) else data
            if isinstance(raw, bytes):
                problems += [f"request: {p}" for p in request_problems(op, content_type, raw)]
        if problems:
            raise AssertionError(
                f"{method} {url} → {response.status_code} departs from openapi.json ({op.template}):\n  "
                + "\n  ".join(problems)
            )


def schema_name_clashes() -> dict[str, list[str]]:
    """Names under which the document publishes more than one schema: {name: [where, ...]}.

    Walks every operation's request and response models the way Ninja does and compares what each
    would publish under each name: two different classes, or one class whose request and response
    shapes differ, under one name are both clashes (the document keeps only one of them)."""
    from ninja.openapi.schema import REF_TEMPLATE
    from ninja.schema import NinjaGenerateJsonSchema

    from bangfu.api import api

    seen: dict[str, dict[str, str]] = {}
    for prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                models = [(m, "validation") for m in op.models]
                models += [(m, "serialization") for m in op.response_models.values() if hasattr(m, "model_json_schema")]
                for model, mode in models:
                    generated = model.model_json_schema(
                        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
                    )
                    for name, definition in generated.get("$defs", {}).items():
                        key = json.dumps(definition, sort_keys=True)
                        seen.setdefault(name, {}).setdefault(key, f"{prefix}{op.path} ({mode})")
    return {name: sorted(shapes.values()) for name, shapes in seen.items() if len(shapes) > 1}


def schema_classes_by_name() -> dict[str, set[str]]:
    """Every Schema class the API reaches (also through nesting), by the name it is published under."""
    from pydantic import BaseModel

    from bangfu.api import api

    found: dict[str, set[str]] = {}
    todo: list[Any] = []
    for _, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                todo += list(op.models) + [m for m in op.response_models.values() if isinstance(m, type)]
    done: set[int] = set()
    while todo:
        t = todo.pop()
        if id(t) in done:
            continue
        done.add(id(t))
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t.__module__.startswith("bangfu"):
                found.setdefault(t.__name__, set()).add(f"{t.__module__}.{t.__qualname__}")
            todo += [f.annotation for f in t.model_fields.values()]
        todo += list(getattr(t, "__args__", ()) or ())
    return found
