"""Rule sets (versioned, per area, with effective dates) and the monitoring line per area and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import money_field


class RuleSet(models.Model):
    """One version of an area's rules. Published versions are never edited: a change is a new version.

    A province holds the default; a county may hold an override, which wins for its households.
    """

    DRAFT, PUBLISHED = "draft", "published"
    area = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name="适用区域"
    )
    version = models.PositiveIntegerField("版本")
    status = models.CharField(
        "状态", max_length=10, choices=[(DRAFT, _("草稿")), (PUBLISHED, _("已发布"))], default=DRAFT
    )
    window = models.CharField("统计口径", max_length=16, default="rolling_12m")
    params = models.JSONField("参数", default=dict)  # name → decimal text
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True)  # exclusive; set by the next version
    note = models.CharField("修订说明", max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "version"], name="uniq_ruleset_version")]
        ordering = ["area_id", "-version"]

    def __str__(self) -> str:
        return f"{self.area_id} v{self.version}"


class Rule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("规则编号", max_length=40)
    zh = models.CharField("规则名称", max_length=60)
    en = models.CharField("English name", max_length=80, blank=True)
    risk = models.CharField("风险类别", max_length=8, default="其他")
    when = models.JSONField("条件")  # see rules.domain.rules for the grammar
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="uniq_rule_code")]
        ordering = ["ruleset_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.zh}"


class MonitoringLine(models.Model):
    """监测线: per-capita net income (yuan/year) below which a household is in the monitoring range.

    Keyed by area and year: a province row is the default, a county row overrides it.
    """

    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    amount = money_field("监测线(元/人·年)")
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="uniq_line_area_year")]
        ordering = ["area_id", "-year"]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.year}: {self.amount}"
