"""Writes of the shared kernel: audit events, personal-data view log, background jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bangfu.core.errors import ApplicationError
from bangfu.core.models import AuditEvent, Job, PiiView

logger = logging.getLogger(__name__)


def audit_record(
    *, actor: Any, action: str, obj: Any, area_code: str = "", reason: str = "", data: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else str(type(obj).__name__),
        object_id=str(getattr(obj, "pk", obj)),
        area_code=area_code,
        reason=reason,
        data=data or {},
    )


def pii_view_log(*, actor: Any, obj: Any, purpose: str = "") -> None:
    PiiView.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=purpose,
    )


# --- background jobs (see core.models.Job) -------------------------------------------------------

# progress(percent, phase in Chinese, phase in English)
JobProgress = Callable[[int, str, str], None]
MAX_REPORTED_PROBLEMS = 5_000  # a whole wrong file can have 100,000; the report keeps the first ones


def job_create(
    *,
    owner: Any,
    kind: str,
    title: str,
    title_en: str,
    filename: str = "",
    payload: bytes | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    return Job.objects.create(
        owner=owner,
        kind=kind,
        title=title[:200],
        title_en=title_en[:200],
        filename=filename[:200],
        payload=payload,
        params=params or {},
    )


def job_output(job: Job, data: bytes, name: str) -> None:
    """Keep the file a job made (an export) for its owner to download from the job page."""
    Job.objects.filter(pk=job.pk).update(output=data, output_name=name[:200])


def job_run(job_id: str, work: Callable[[Job, JobProgress], dict[str, Any]]) -> str:
    """Run a queued job's work with a progress callback; record its result, or its error and report.

    Progress is written outside any transaction of the work, so the page's bar sees it at once."""
    now = timezone.now
    started = Job.objects.filter(pk=job_id, status=Job.QUEUED).update(
        status=Job.RUNNING, started=now(), progress=1, phase="开始", phase_en="Started"
    )
    if not started:
        return "skipped"  # already run (a task delivered twice) or gone
    job = Job.objects.get(pk=job_id)

    def progress(percent: int, phase: str, phase_en: str) -> None:
        Job.objects.filter(pk=job_id).update(
            progress=max(1, min(99, percent)), phase=phase[:200], phase_en=phase_en[:200]
        )

    try:
        result = work(job, progress)
    except ApplicationError as exc:
        body = exc.as_problem()
        errors = body.get("errors")
        if isinstance(errors, list):
            body["errors_total"] = len(errors)
            body["errors"] = errors[:MAX_REPORTED_PROBLEMS]
        Job.objects.filter(pk=job_id).update(status=Job.FAILED, error=body, finished=now(), payload=None, progress=100)
        return Job.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        body = ApplicationError(
            zh="处理时发生内部错误，未保存任何数据，请稍后重试或联系管理员",
            en="An internal error stopped the job; nothing was stored. Try again later or ask the administrator",
            code="internal",
            status=500,
        ).as_problem()
        Job.objects.filter(pk=job_id).update(status=Job.FAILED, error=body, finished=now(), payload=None, progress=100)
        return Job.FAILED
    Job.objects.filter(pk=job_id).update(
        status=Job.DONE, result=result, finished=now(), payload=None, progress=100, phase="完成", phase_en="Done"
    )
    return Job.DONE
