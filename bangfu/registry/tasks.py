"""Background work of the registry, run by `bangfu worker` (django-tasks database backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_tasks import task

from bangfu.core import services as core
from bangfu.registry import importer

if TYPE_CHECKING:
    from bangfu.core.models import Job


def _import(job: Job, progress: core.JobProgress) -> dict[str, Any]:
    result = importer.household_import(
        actor=job.owner, data=bytes(job.payload or b""), filename=job.filename, progress=progress
    )
    return {"households": result.households, "members": result.members, "batch_id": result.batch_id}


@task()
def household_import_job(job_id: str) -> str:
    """A large Excel import queued by importer.household_import_start: all rows or none, with the report."""
    return core.job_run(job_id, _import)
