"""Background work of the registry, run by `bangfu worker` (django-tasks database backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django_tasks import task

from bangfu.core import services as core
from bangfu.registry import importer

if TYPE_CHECKING:
    from bangfu.core.models import Job


def _import(job: Job, progress: core.JobProgress) -> dict[str, Any]:
    result = importer.household_import(
        actor=job.owner, data=bytes(job.payload or b""), filename=job.filename, progress=progress
    )
    return {
        "households": result.households,
        "members": result.members,
        "batch_id": result.batch_id,
        "summary": f"已导入{result.households}户、{result.members}人（批次 {result.batch_id}）",
        "summary_en": f"Imported {result.households} households and {result.members} people (batch {result.batch_id})",
        "link": f"{reverse('registry:household_list')}?batch={result.batch_id}",
    }


@task()
def household_import_job(job_id: str) -> str:
    """A large Excel import queued by importer.household_import_start: all rows or none, with the report."""
    return core.job_run(job_id, _import)


def _export(job: Job, progress: core.JobProgress) -> dict[str, Any]:
    from bangfu.registry import selectors, views_excel

    f = selectors.HouseholdFilter(**job.params["filter"])
    progress(10, "导出中", "Exporting")
    data = views_excel.export_workbook(job.owner, f, bool(job.params.get("full_id")))
    core.job_output(job, data, views_excel.export_name())
    return {"summary": "导出文件已生成", "summary_en": "The export file is ready", "bytes": len(data)}


@task()
def household_export_job(job_id: str) -> str:
    """A large household export (the list page's filter, in the owner's scope, built now)."""
    return core.job_run(job_id, _export)
