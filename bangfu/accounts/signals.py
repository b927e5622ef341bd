"""Keeps the per-process access cache (accounts.selectors.memberships) true: any saved or deleted
membership gives its user a new access_version, however it was written (a service, the admin, a test's
ORM call). Grids and areas do the same from areas/signals.py. QuerySet.update() and bulk writes send no
signal: code that changes memberships that way must call accounts.services.access_changed itself."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from bangfu.accounts import services
from bangfu.accounts.models import Membership


def _membership_changed(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    services.access_changed(user_ids=[instance.user_id])


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="bangfu_access_membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="bangfu_access_membership_deleted")
