"""The indicator cache: figures computed in batch, read by dashboards (never computed on a page)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class IndicatorValue(models.Model):
    """One figure of one area (12-digit code) or grid ("grid:<id>") for one period."""

    unit = models.CharField("区划代码或网格", max_length=24)
    key = models.CharField("指标", max_length=40)
    period = models.CharField("期间", max_length=7)  # "2025" or "2025-03"
    value = models.DecimalField("数值", max_digits=16, decimal_places=2, default=Decimal("0"))
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "key", "period"], name="uniq_indicator_cell")]

    def __str__(self) -> str:
        return f"{self.unit} {self.key} {self.period}={self.value}"


class IndicatorRun(models.Model):
    """One batch refresh: what it covered, when, how long it took and who started it."""

    area_code = models.CharField("范围", max_length=15, blank=True)  # "" = everything
    as_of = models.DateField("截至日期")
    trigger = models.CharField("触发方式", max_length=12)  # cli, task, screening, demo, page
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    villages = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.area_code or '*'}@{self.as_of}"


class UnitMark(models.Model):
    """What the incremental indicator refresh needs to know of one area (12-digit code, any level).

    `changes` counts the writes that changed the area's figures since they were last counted: every
    audited write and every set-wise write (imports, screening's COPY) adds one in its own transaction;
    a refresh sets it back to 0 only where it is still the number it saw (a write that commits while
    the refresh counts keeps its mark). A mark on a county or township marks every village under it.
    `as_of` is the day a village's cached figures were counted for: a refresh for another month, or
    a day across which some dated fact of the village moves (a step falling due, a payment's day),
    counts the village again though nothing was written.
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    changes = models.PositiveIntegerField("未计入的变更", default=0)
    as_of = models.DateField("计算截至日期", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.code} changes={self.changes} as_of={self.as_of}"
