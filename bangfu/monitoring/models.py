"""Department feed batches and rows, screening runs, warnings and their lifecycle events."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from bangfu.core.guards import bounded
from bangfu.core.models import MONEY_LIMIT, StepLog, money_field
from bangfu.monitoring.domain import lifecycle, recurrence
from bangfu.monitoring.domain.feeds import SPECS
from bangfu.monitoring.domain.lifecycle import ACTIVE, OPEN, STATE_LABELS


class FeedBatch(models.Model):
    """One delivery from a department. The content hash makes a repeated delivery a no-op."""

    kind = models.CharField("数据类型", max_length=16, choices=[(k, s.zh) for k, s in SPECS.items()])
    department = models.CharField("来源部门", max_length=100)
    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("数据期间", max_length=20, blank=True)  # e.g. 2024-03 or 2024Q1
    source = models.CharField("方式", max_length=8, choices=[("file", "文件"), ("api", "接口")])
    filename = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField("行数", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "area", "content_hash"], name="uniq_feed_content")]
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} ({self.rows})"


class FeedRow(models.Model):
    """A matched row. The ID number is not kept: the member link is the match."""

    batch = models.ForeignKey(FeedBatch, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16)  # copied from the batch so screening reads one table
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField()
    amount = money_field("金额(元)", default=Decimal("0"))
    event = models.CharField(max_length=20, blank=True)
    row_no = models.PositiveIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["kind", "event_date"]), models.Index(fields=["household", "kind"])]
        constraints = bounded("feedrow", {"amount": MONEY_LIMIT})

    def __str__(self) -> str:
        return f"{self.kind}#{self.row_no}"


class ScreeningRun(models.Model):
    area_code = models.CharField(max_length=15)
    as_of = models.DateField()
    trigger = models.CharField(max_length=12)  # cli, nightly, household, feed, page
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    households = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    new_warnings = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)  # elapsed wall time: a measurement, not money
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.area_code}@{self.as_of}"


class JSONText(models.TextField):  # type: ignore[type-arg]  # TextField[...] exists only in the stubs
    """A JSON object kept as its text, keys in the order they were written (schema decision of issue #18,
    monitoring/README.md "The warnings table"). Read whole, never queried inside: PostgreSQL's jsonb
    would parse every value on screening's COPY and reorder the keys (shortest first)."""

    # django-stubs read a field's value types from these: a dict in, a dict out (not TextField's str)
    _pyi_private_set_type: dict[str, Any]  # type: ignore[assignment]  # a dict in, not TextField's str
    _pyi_private_get_type: dict[str, Any]  # type: ignore[assignment]  # a dict out, not TextField's str

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


class Warning(models.Model):
    """A rule met by a household, with what it was measured against, frozen at the time it was raised."""

    # No database constraint on household, ruleset, run and previous (schema decision of issue #18, see
    # monitoring/README.md "The warnings table"): screening writes ids it has just read or created, and
    # nothing deletes households, published rule sets or warnings; Django's PROTECT / SET_NULL still apply.
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    village_code = models.CharField(max_length=15)  # copied for scoping and the by-township counts (indexed below)
    grid_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    rule_code = models.CharField("规则", max_length=40)
    rule_name = models.CharField("规则名称", max_length=60)
    risk = models.CharField("风险类别", max_length=8)
    ruleset = models.ForeignKey(
        "rules.RuleSet", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    ruleset_version = models.PositiveIntegerField()
    facts = JSONText(default=dict)  # fact → value used, in the rule's order
    thresholds = JSONText(default=dict)  # fact → threshold compared with
    # The sentence is made on read (display.explanation). A warning raised before that (migration 0008)
    # keeps the sentence it was stored with here where the one made on read would read differently (older
    # wording, a rule naming a fact twice): what a warning said is never lost. NULL for every other warning.
    sentence_kept = models.TextField(null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=list(STATE_LABELS.items()), default=OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    run = models.ForeignKey(
        ScreeningRun, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False
    )
    as_of = models.DateField()
    created = models.DateTimeField(auto_now_add=True)
    case_ref = models.CharField(max_length=40, blank=True)  # "case:<pk>" once escalated
    # The source of the facts (domain.recurrence): a decided warning stays decided until it changes.
    source_row = models.BigIntegerField(default=0)  # newest department row the rule read (0: none)
    source_amount = models.BigIntegerField(default=0)  # fen: the money those rows report, summed
    source_year = models.PositiveSmallIntegerField(null=True, blank=True)  # income year read, if any
    decided_on = models.DateField("排除/转监测日期", null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="前次预警",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "rule_code"], condition=models.Q(status__in=ACTIVE), name="uniq_active_warning"
            )
        ]
        # One village index serves the list in any status and the counts by area (a code range, then
        # the status inside it); the active ones of the whole province are read through
        # uniq_active_warning (monitoring/README.md "The warnings table").
        indexes = [models.Index(fields=["village_code", "status"], name="warning_village_status")]
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.rule_code}:{self.status}"

    @property
    def rule(self) -> dict[str, str]:
        """The rule's name in both languages, for the `tr` filter: the English one is read with the
        warning (`selectors.with_rule_en`); without it the Chinese name stands."""
        en = getattr(self, "rule_en", None) or ""
        return {"zh": self.rule_name, "en": en[:1].upper() + en[1:]}  # rules name themselves in lower case

    @property
    def explanation(self) -> str:
        """Why it was raised, in Chinese: made on read from the rule, the facts and thresholds kept and
        the decided warning it came back after, never stored (display.explanation)."""
        from bangfu.monitoring.display import explanation  # display reads the fact vocabulary; kept off import

        return explanation(self)

    @property
    def sentence(self) -> str:
        """Why it was raised, in the reader's language (display.sentence)."""
        from bangfu.monitoring.display import sentence  # display reads the fact vocabulary; kept off import

        return sentence(self)

    def source(self) -> recurrence.Source:
        """The source of the facts it was raised on (domain.recurrence)."""
        return recurrence.Source(self.source_row, self.source_amount, self.source_year)

    def decided(self) -> recurrence.Decided:
        """This warning as a decision a later one may come back after (domain.recurrence); a decision
        without its date counts from the warning's own."""
        return recurrence.Decided(self.pk, self.status, self.decided_on or self.as_of, self.source())

    @property
    def state_label(self) -> str:
        """The state's label, a msgid (`{% translate w.state_label %}`)."""
        return STATE_LABELS.get(self.status, self.status)


class WarningEvent(StepLog):
    """One step of a warning's lifecycle (core.models.StepLog); `note` is the reason given."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    table = lifecycle.TABLE

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.warning_id}:{self.event}"
