"""JSON API of background jobs (/api/v1/jobs/): the status, progress and result of work you started."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from bangfu.core import selectors
from bangfu.core.errors import NotFound
from bangfu.core.models import Job

router = Router(tags=["jobs"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    download: str | None  # the file the job made (an export), once done


def job_out(job: Job) -> dict[str, Any]:
    fields = ("id", "kind", "title", "status", "progress", "phase", "created", "started", "finished", "result", "error")
    download = f"/api/v1/jobs/{job.pk}/download" if job.output_name else None
    return {**{f: getattr(job, f) for f in fields}, "url": f"/api/v1/jobs/{job.pk}", "download": download}


@router.get("", response=list[JobOut], summary="我的任务 My background jobs")
def job_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [job_out(j) for j in selectors.jobs_of(request.user)[:100]]


@router.get("/{pk}", response=JobOut, summary="任务状态 One job: status, progress, result or error report")
def job_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    """Poll until `status` is `done` (see `result`) or `failed` (see `error`, with the per-row `errors`)."""
    return job_out(selectors.job_get(request.user, pk))


@router.get("/{pk}/download", summary="任务生成的文件 The file a job made (xlsx)")
def job_download(request: HttpRequest, pk: str) -> HttpResponse:
    job = selectors.job_get(request.user, pk, with_output=True)
    if not job.output:
        raise NotFound()
    response = HttpResponse(bytes(job.output), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.output_name or 'export.xlsx')}"
    return response
