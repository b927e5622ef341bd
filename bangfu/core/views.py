"""Helpers for page views (per-field errors on a re-rendered form), and the pages of background jobs."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bangfu.core import selectors
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.models import Job


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


# --- background jobs: "my jobs", one job with its progress bar (htmx polling) and its result ----------

SHOWN_PROBLEMS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/job_list.html", {"jobs": selectors.jobs_of(request.user)[:100]})


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job_detail.html"
    return render(request, template, _job_context(job))


@login_required
def job_download(request: HttpRequest, pk: str) -> HttpResponse:
    """The file a job made (an export), for the user who started it only."""
    job = selectors.job_get(request.user, pk, with_output=True)
    if not job.output:
        raise NotFound()
    response = HttpResponse(bytes(job.output), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.output_name or 'export.xlsx')}"
    response["Cache-Control"] = "no-store"
    return response


def _job_context(job: Job) -> dict[str, Any]:
    problems = job.error.get("errors", []) if job.error else []
    total = job.error.get("errors_total", len(problems)) if job.error else 0
    return {
        "job": job,
        "running": job.status in (Job.QUEUED, Job.RUNNING),
        "problems": problems[:SHOWN_PROBLEMS],
        "more": max(0, total - min(len(problems), SHOWN_PROBLEMS)),
    }
