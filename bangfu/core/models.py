"""Shared records: the audit/event log and the log of full personal-data views."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One row per business event (service call): who did what to which object, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=80)  # service name, e.g. "household_update"
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    area_code = models.CharField(max_length=15, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # never personal data: ids and amounts only

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class PiiView(models.Model):
    """Every display of a full ID number, for the audit the policy requires."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.actor_id} viewed {self.object_type}#{self.object_id}"
