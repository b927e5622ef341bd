"""Reads of the shared kernel."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Model, Q, QuerySet

from bangfu.core.errors import NotFound
from bangfu.core.models import AuditEvent, Job


class _Unset:
    """No key given to get_or_404: `qs` is already filtered down to the row."""


UNSET = _Unset()


def get_or_404[M: Model](qs: QuerySet[M], pk: object = UNSET, /, **lookup: object) -> M:
    """The row of `qs` with primary key `pk` (and matching `lookup`), else NotFound.

    `qs` is already narrowed to what the actor may see (`…_visible(user)`), so a row outside the
    actor's areas and a row that does not exist answer the same 404 and reveal nothing. A `pk` of None
    (a missing or unreadable id) finds nothing; without `pk` and `lookup`, `qs` is the filtered row.
    """
    if not isinstance(pk, _Unset):
        lookup["pk"] = pk
        # one row whatever the order: no ORDER BY to build (first() orders by pk; a quarter of the cost)
        found = next(iter(qs.filter(**lookup).order_by()[:1]), None)
    else:
        found = qs.filter(**lookup).first()
    if found is None:
        raise NotFound()
    return found


def audit_events_for(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Callers must already have checked that the actor may see the object."""
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")


def audit_search(
    *,
    where: Q,
    person: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events matching `where` (the caller's scope, built by areas.selectors) and the filters,
    newest first. `person` matches the actor's username or display name."""
    qs = AuditEvent.objects.filter(where)
    if person:
        qs = qs.filter(Q(actor__username__icontains=person) | Q(actor__display_name__icontains=person))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__gte=since)
    if before:
        qs = qs.filter(at__lt=before)
    return qs.select_related("actor").order_by("-at", "-pk")


def job_get(user: Any, pk: Any, with_output: bool = False) -> Job:
    """A job its owner started; anyone else gets NotFound (another user's import reveals nothing)."""
    if not _uuid(pk):
        raise NotFound()
    qs = Job.objects.filter(pk=pk, owner_id=getattr(user, "pk", None)).defer("payload")
    job = (qs if with_output else qs.defer("output")).first()
    if job is None:
        raise NotFound()
    return job


def jobs_of(user: Any, kind: str = "") -> QuerySet[Job]:
    qs = Job.objects.filter(owner_id=getattr(user, "pk", None)).defer("payload", "output")
    return qs.filter(kind=kind) if kind else qs


def _uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
