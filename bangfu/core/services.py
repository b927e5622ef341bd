"""Writes of the shared kernel: audit events and personal-data view log."""

from __future__ import annotations

from typing import Any

from bangfu.core.models import AuditEvent, PiiView


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
