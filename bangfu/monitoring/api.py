"""JSON API of monitoring: department pushes, warnings and their lifecycle, re-screening one household.

Mounted under /api/v1/monitoring/ by bangfu/api.py. Every read and write is scoped to the caller.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.api import JobOut, job_out
from bangfu.core.excel import upload_bytes
from bangfu.core.idempotency import idempotent
from bangfu.core.replicas import replica_ok
from bangfu.monitoring import selectors, services
from bangfu.monitoring.domain.lifecycle import STATE_LABELS
from bangfu.monitoring.templates_xlsx import template_bytes
from bangfu.registry import selectors as registry

router = Router(tags=["monitoring"])


class FeedPush(Schema):
    period: str = ""
    rows: list[dict[str, Any]]


class BatchOut(Schema):
    id: int
    kind: str
    department: str
    period: str
    rows: int
    created: bool


class WarningOut(Schema):
    id: int
    household_id: int
    household_number: str
    rule_code: str
    rule_name: str
    ruleset_version: int
    status: str
    status_label: str
    explanation: str
    facts: dict[str, Any]
    thresholds: dict[str, Any]
    as_of: dt.date


class WarningTransitionIn(Schema):
    event: str
    reason: str = ""


def _batch(b: Any, created: bool) -> dict[str, Any]:
    return {
        "id": b.pk,
        "kind": b.kind,
        "department": b.department,
        "period": b.period,
        "rows": b.rows,
        "created": created,
    }


def _warning(w: Any) -> dict[str, Any]:
    return {
        "id": w.pk,
        "household_id": w.household_id,
        "household_number": w.household.number,
        "rule_code": w.rule_code,
        "rule_name": w.rule_name,
        "ruleset_version": w.ruleset_version,
        "status": w.status,
        "status_label": STATE_LABELS[w.status],
        "explanation": w.explanation,
        "facts": w.facts,
        "thresholds": w.thresholds,
        "as_of": w.as_of,
    }


@router.post("/feeds/{kind}", response={201: BatchOut, 200: BatchOut})
@writes(Cap.UPLOAD_FEEDS)
def feed_push(request: AuthedHttpRequest, kind: str, body: FeedPush) -> Status[dict[str, Any]]:
    """Push a batch of rows (column titles as in the template). All rows are stored, or none."""
    rows = [{k: "" if v is None else str(v) for k, v in r.items()} for r in body.rows]
    batch, created = services.feed_ingest(
        actor=request.user,
        kind=kind,
        rows=rows,
        period=body.period,
        source="api",
    )
    return Status(201 if created else 200, _batch(batch, created))


@router.post("/feeds/{kind}/file", response={201: BatchOut, 200: BatchOut, 202: JobOut})
@writes(Cap.UPLOAD_FEEDS)
def feed_upload(request: AuthedHttpRequest, kind: str, file: File[UploadedFile], period: str = "") -> Status[Any]:
    """A file of more than a few thousand rows is stored in the background: 202 with a job to poll."""
    # The uploader's right is checked before the file is read (a workbook costs memory to read).
    started = services.feed_upload_start(
        actor=request.user,
        kind=kind,
        data=upload_bytes(file),
        filename=file.name or "",
        period=period,
    )
    if not isinstance(started, tuple):
        return Status(202, job_out(started))
    batch, created = started
    return Status(201 if created else 200, _batch(batch, created))


@router.get("/feeds/{kind}/template")
def feed_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    resp = HttpResponse(
        template_bytes(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="feed-{kind}.xlsx"'
    return resp


@router.get("/warnings", response=list[WarningOut])
@replica_ok
def warning_list(
    request: AuthedHttpRequest, status: str = "active", rule: str = "", page: int = 1
) -> list[dict[str, Any]]:
    p = selectors.warning_page(request.user, selectors.WarningFilter(status=status, rule=rule), page)
    return [_warning(w) for w in p.object_list]


@router.get("/warnings/{pk}", response=WarningOut)
def warning_detail(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _warning(selectors.warning_get(request.user, pk))


@router.post("/warnings/{pk}/transition", response=WarningOut)
@idempotent
@writes(Cap.HANDLE_WARNINGS)
def warning_transition(request: AuthedHttpRequest, pk: int, body: WarningTransitionIn) -> dict[str, Any]:
    """Idempotency-Key accepted (docs/offline.md); 409 `already_decided` / `moved_away` when the action no
    longer applies."""
    w = selectors.warning_for_action(request.user, pk)
    w = services.warning_transition(actor=request.user, warning=w, event=body.event, reason=body.reason)
    return _warning(selectors.warning_get(request.user, w.pk))


@router.post("/households/{pk}/screen", response=list[WarningOut])
@writes(Cap.HANDLE_WARNINGS)
def household_screen(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    """Re-screen one household now (single-household path); returns the warnings it opened."""
    h = registry.household_get(request.user, pk)
    created = services.screen_household(household_id=h.pk, as_of=timezone.localdate(), actor=request.user)
    return [_warning(selectors.warning_get(request.user, w.pk)) for w in created]
