"""Reads of the shared kernel."""

from __future__ import annotations

from django.db.models import QuerySet

from bangfu.core.models import AuditEvent


def audit_events_for(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Callers must already have checked that the actor may see the object."""
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")
