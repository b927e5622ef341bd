"""Helpers for page views: turning ValidationFailed into per-field errors on a re-rendered form."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest

from bangfu.core.errors import ApplicationError


def field_errors(exc: ApplicationError) -> dict[str, list[str]]:
    """field name → messages (Chinese, then English) for a template; "form" for the rest."""
    out: dict[str, list[str]] = defaultdict(list)
    for p in exc.problems:
        out[p.field.split(".")[-1]].append(f"{p.zh}（{p.en}）")
    if not exc.problems:
        out["form"].append(f"{exc.zh}（{exc.en}）")
    return dict(out)


def post_dict(request: HttpRequest, fields: list[str]) -> dict[str, Any]:
    """The submitted values of `fields` (missing checkboxes read as '否')."""
    return {f: request.POST.get(f, "") for f in fields}


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def reraise_access(exc: ApplicationError) -> None:
    """Forms show input problems in place; 'not yours' and 'not allowed' go to the error pages."""
    if exc.status in (403, 404):
        raise exc


def error_status(exc: ApplicationError | None) -> int:
    """Status of a form page shown again: 200 without error, 413 for an upload too large, else 422."""
    if exc is None:
        return 200
    return 413 if exc.status == 413 else 422
