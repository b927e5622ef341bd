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
