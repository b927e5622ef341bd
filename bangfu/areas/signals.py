"""The per-process access cache (accounts.selectors.memberships) follows grids and areas: a grid whose
worker changes, or that is created or deleted with one, gives the old and the new worker a new
access_version (a grid worker's scope is their grids); a changed area gives everyone holding a role in
it a new one (their scope and role labels come from the area's code, level and name)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from bangfu.accounts import services as accounts
from bangfu.areas.models import Area, Grid

_OLD_WORKER = "_bangfu_old_worker"


def _grid_saving(sender: type[Grid], instance: Grid, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is not None and (update_fields is None or "worker" in update_fields):
        old = Grid.objects.filter(pk=instance.pk).values_list("worker_id", flat=True).first()
        setattr(instance, _OLD_WORKER, old)


def _grid_saved(sender: type[Grid], instance: Grid, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if not created and update_fields is not None and "worker" not in update_fields:
        return
    old = instance.__dict__.pop(_OLD_WORKER, None)
    if created or old != instance.worker_id:
        accounts.access_changed(user_ids=[old, instance.worker_id])


def _grid_deleted(sender: type[Grid], instance: Grid, **kwargs: Any) -> None:
    accounts.access_changed(user_ids=[instance.worker_id])


def _area_saved(sender: type[Area], instance: Area, created: bool, **kwargs: Any) -> None:
    if not created:
        accounts.access_changed(user_ids=[], in_area=instance.code)


def connect() -> None:
    pre_save.connect(_grid_saving, sender=Grid, dispatch_uid="bangfu_access_grid_saving")
    post_save.connect(_grid_saved, sender=Grid, dispatch_uid="bangfu_access_grid_saved")
    post_delete.connect(_grid_deleted, sender=Grid, dispatch_uid="bangfu_access_grid_deleted")
    post_save.connect(_area_saved, sender=Area, dispatch_uid="bangfu_access_area_saved")
