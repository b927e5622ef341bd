"""Shared records: the audit/event log, the log of full personal-data views, background jobs; and the
money and quantity columns every app declares its amounts with."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, ClassVar, Literal, overload

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.domain.workflow import Table
from bangfu.core.i18n import in_language

# One precision for every amount of money and every quantity: DECIMAL(12, 2), yuan to the fen (a quantity
# to the hundredth of its unit). MONEY_LIMIT is the first value such a column cannot hold; the database
# CHECK constraints (`core.guards.bounded`) and `core.domain.money.LIMIT` follow it, and the inputs
# (`core.domain.inputs.MAX_AMOUNT`, 1亿元 a line) stay 100× below it, so a total of many lines still fits.
MONEY_DIGITS = 12
MONEY_PLACES = 2
MONEY_LIMIT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)

type Amount = models.DecimalField[Decimal | int | str, Decimal]
type OptionalAmount = models.DecimalField[Decimal | int | str | None, Decimal | None]


@overload
def money_field(verbose_name: str, *, optional: Literal[False] = False, default: Decimal | None = None) -> Amount: ...
@overload
def money_field(verbose_name: str, *, optional: Literal[True]) -> OptionalAmount: ...
def money_field(
    verbose_name: str, *, optional: bool = False, default: Decimal | None = None
) -> Amount | OptionalAmount:
    """A yuan amount to the fen. `optional`: may stay empty (a cap, a figure not computed yet)."""
    if optional:
        return models.DecimalField(
            verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True
        )
    if default is None:
        return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=default)


def quantity_field(verbose_name: str, *, default: Decimal | None = None) -> Amount:
    """A quantity in its unit (jin, kg, piece, box) to the hundredth, with the precision of money."""
    return money_field(verbose_name, default=default)


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


class StepLog(models.Model):
    """One step of a workflow (core.domain.workflow): who took which event, from and to which state,
    when it was recorded (`at`) and the day it happened (`on`, when the app records one), the note
    the people concerned read, and what the step brought (`data`: ids, amounts, checks, never
    personal data). Each app's event table inherits it, adds the foreign key to its subject and
    names its `table`; pages, APIs, timelines and the audit read every event through the labels
    below, the same way in every app."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    on = models.DateField(_("办理日期"), null=True, blank=True)
    event = models.CharField(_("事项"), max_length=24)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    table: ClassVar[Table[Any, Any]]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.event}: {self.from_state}→{self.to_state}"

    @property
    def day(self) -> dt.date:
        """The day the step happened: the recorded business date, else the local day it was recorded."""
        return self.on or timezone.localdate(self.at)

    @property
    def label(self) -> str:
        return self.table.event_label(self.event, self.from_state)

    @property
    def label_en(self) -> str:
        return self.table.event_label(self.event, self.from_state, en=True)

    @property
    def from_label(self) -> str:
        return self.table.state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self.table.state_label(self.to_state)


class PiiView(models.Model):
    """Every display of a full ID number, for the audit the policy requires."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.actor_id} viewed {self.object_type}#{self.object_id}"


class Job(models.Model):
    """Long work started by a user and run by `bangfu worker` (an import of thousands of rows):
    its progress for the page's bar, and its result or report to come back to. Only its owner sees it."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, _("排队中")),
        (RUNNING, _("进行中")),
        (DONE, _("已完成")),
        (FAILED, _("未成功")),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)  # e.g. "registry_import"
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    phase = models.CharField(max_length=200, blank=True)
    phase_en = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    payload = models.BinaryField(null=True, editable=False)  # the uploaded file, dropped when the job ends
    params = models.JSONField(default=dict, blank=True)  # what the work needs besides the file (filter, kind…)
    result = models.JSONField(default=dict, blank=True)  # counts, ids and a summary, never personal data
    error = models.JSONField(default=dict, blank=True)  # the problem document, with the per-row report
    output = models.BinaryField(null=True, editable=False)  # a file made by the job (an export), for its owner
    output_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "kind", "-created"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def heading(self) -> str:
        """The title in the reader's language (jobs are written with both)."""
        return in_language(self.title, self.title_en)

    @property
    def step(self) -> str:
        """The phase in the reader's language."""
        return in_language(self.phase, self.phase_en)

    @property
    def summary(self) -> str:
        """The result's summary in the reader's language (the job stored both)."""
        return in_language(str(self.result.get("summary", "")), str(self.result.get("summary_en", "")))

    @property
    def error_message(self) -> str:
        return in_language(str(self.error.get("message", "")), str(self.error.get("message_en", "")))


class FieldKey(models.Model):
    """The fingerprint of the field key the database's ID numbers are encrypted with (one row).

    Checked at every start (core.keys): Bangfu refuses to run with a different or new key rather than
    leave the encrypted data unreadable and the one-person-one-ID look-up silently broken.
    """

    fingerprint = models.CharField(max_length=64)
    recorded = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"field key {self.fingerprint[:8]}…"


class IdempotencyKey(models.Model):
    """One action sent with an `Idempotency-Key` header (a phone's queued visit, warning check, risk report)
    and the answer it got, written in the action's own transaction (core.idempotency): the same key sent
    again by the same user gets this answer back and nothing is done twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    route = models.CharField(max_length=300)  # "POST /cases/grid/visit/12/"
    fingerprint = models.CharField(max_length=64)  # sha256 of the body (CSRF token left out)
    status = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(null=True, blank=True)  # the JSON answer (or problem document)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)  # a redirect's target (page answer)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]
        indexes = [models.Index(fields=["key"], name="core_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.route} {self.key} → {self.status}"


class BatchRun(models.Model):
    """One night's batch work of one kind (screening, indicators) over many counties: one BatchPart per
    county, each a task of its own that any `bangfu worker` on any machine may take (core.batch)."""

    kind = models.CharField(max_length=40)
    as_of = models.DateField()
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)  # when the last county finished
    parts = models.PositiveIntegerField(default=0)
    totals = models.JSONField(default=dict, blank=True)  # the parts' figures added up (the province total)

    class Meta:
        ordering = ["-started"]
        constraints = [models.UniqueConstraint(fields=["kind", "as_of"], name="one_batch_run_per_kind_and_day")]

    def __str__(self) -> str:
        return f"{self.kind}@{self.as_of}"


class BatchPart(models.Model):
    """One county's share of a batch run. A worker takes it by a conditional UPDATE (core.batch.claim),
    so two workers never work on one county at once; a worker that died is replaced once its
    heartbeat is stale, and the work (idempotent per county) is done again from the start."""

    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATUSES = [(PENDING, _("待处理")), (RUNNING, _("进行中")), (DONE, _("已完成")), (FAILED, _("未成功"))]

    run = models.ForeignKey(BatchRun, on_delete=models.CASCADE, related_name="county_parts")
    area_code = models.CharField(max_length=15)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    worker = models.CharField(max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)  # elapsed wall time of the successful attempt: a measurement
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["area_code"]
        constraints = [models.UniqueConstraint(fields=["run", "area_code"], name="one_batch_part_per_county")]
        indexes = [models.Index(fields=["status", "heartbeat"])]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.area_code} ({self.status})"
