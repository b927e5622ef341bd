"""JSON API of background jobs (/api/v1/jobs/): the status, progress and result of work you started."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from bangfu.core import selectors
from bangfu.core.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    progress: int
    phase: str
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    result: dict[str, Any]
    error: dict[str, Any]
    url: str


def job_out(job: Job) -> dict[str, Any]:
    fields = ("id", "kind", "title", "status", "progress", "phase", "created", "started", "finished", "result", "error")
    return {**{f: getattr(job, f) for f in fields}, "url": f"/api/v1/jobs/{job.pk}"}


@router.get("", response=list[JobOut], summary="我的任务 My background jobs")
def job_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [job_out(j) for j in selectors.jobs_of(request.user)[:100]]


@router.get("/{pk}", response=JobOut, summary="任务状态 One job: status, progress, result or error report")
def job_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    """Poll until `status` is `done` (see `result`) or `failed` (see `error`, with the per-row `errors`)."""
    return job_out(selectors.job_get(request.user, pk))
