"""Administrative areas (province … village group) and grids (网格)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from bangfu.areas.domain.codes import LEVEL_LABELS, SIGNIFICANT, Level


class Area(models.Model):
    code = models.CharField("区划代码", max_length=15, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField(
        "层级", max_length=12, choices=[(lv.value, gettext_lazy(LEVEL_LABELS[lv])) for lv in Level]
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """Leading digits shared by this area and everything under it."""
        return self.code[: SIGNIFICANT[Level(self.level)]]


class Grid(models.Model):
    """A grid of about 30 households under one village, looked after by one grid worker."""

    code = models.CharField("网格编号", max_length=24, unique=True)
    name = models.CharField("网格名称", max_length=100)
    village = models.ForeignKey(Area, to_field="code", on_delete=models.PROTECT, related_name="grids")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="grids"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class GridWorkerTerm(models.Model):
    """History of who looked after a grid, kept when a worker leaves or is reassigned."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="terms")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grid_terms")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["grid", "start"]

    def __str__(self) -> str:
        return f"{self.grid_id}:{self.worker_id}"
