"""Monitoring cases and their events, notices, plans and measures; visits; casework parameters."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.casework.domain import codes, procedure
from bangfu.casework.domain.procedure import STATE_LABELS, State
from bangfu.core.guards import bounded
from bangfu.core.models import MONEY_LIMIT, StepLog, money_field


def _choices(d: dict[str, str]) -> list[tuple[str, str]]:
    return list(d.items())


class CaseParameters(models.Model):
    """Day limits, notice length, elimination guards, grid size and self-report limits of an area.

    The monitoring line is not here: the elimination guard reads it from rules (MonitoringLine).

    The most specific area covering a village wins, among rows in force on the date asked about.
    """

    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    accept_days = models.PositiveSmallIntegerField(_("乡镇受理时限(工作日)"), default=2)
    verify_days = models.PositiveSmallIntegerField(_("入户核实时限(工作日)"), default=2)
    compare_days = models.PositiveSmallIntegerField(_("信息比对时限(工作日)"), default=5)
    deliberate_days = models.PositiveSmallIntegerField(_("民主评议时限(工作日)"), default=5)
    publish_days = models.PositiveSmallIntegerField(_("张贴公示时限(工作日)"), default=1)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    notice_working_days = models.BooleanField(_("公示按工作日计"), default=False)
    township_review_days = models.PositiveSmallIntegerField(_("乡镇审核时限(工作日，自公示期满)"), default=3)
    county_approval_days = models.PositiveSmallIntegerField(_("县级审定时限(工作日)"), default=5)
    announce_days = models.PositiveSmallIntegerField(_("公告录入时限(工作日)"), default=2)
    min_months_monitored = models.PositiveSmallIntegerField(_("风险消除:最短监测月数"), default=6)
    min_measures_done = models.PositiveSmallIntegerField(_("风险消除:最少已落实措施"), default=1)
    stable_income_months = models.PositiveSmallIntegerField(_("风险消除:收入稳定月数"), default=6)
    exclude_no_labour = models.BooleanField(_("整户无劳动力暂不消除"), default=True)
    require_guarantees = models.BooleanField(_("须三保障和饮水安全"), default=True)
    households_per_worker = models.PositiveSmallIntegerField(_("每名网格员户数"), default=30)
    report_window_hours = models.PositiveSmallIntegerField(_("自主申报限流时段(小时)"), default=24)
    reports_per_address = models.PositiveSmallIntegerField(_("每个网络地址最多申报次数"), default=5)
    reports_per_id = models.PositiveSmallIntegerField(_("每个身份证号最多申报次数"), default=2)

    class Meta:
        ordering = ["area_id", "-effective_from"]
        verbose_name = "监测程序参数"

    def __str__(self) -> str:
        return f"{self.area_id}@{self.effective_from}"

    def limits(self) -> dict[str, int]:
        return {
            f: getattr(self, f)
            for f in (
                "accept_days",
                "verify_days",
                "compare_days",
                "deliberate_days",
                "publish_days",
                "township_review_days",
                "county_approval_days",
                "announce_days",
            )
        }


class CalendarDay(models.Model):
    """A public holiday (放假) or a make-up working day (调休上班) for working-day deadlines.

    Rows without an area apply everywhere; an area's rows apply to it and everything under it.
    """

    date = models.DateField("日期")
    working = models.BooleanField("调休上班", default=False)
    name = models.CharField("名称", max_length=40)
    area = models.ForeignKey(
        "areas.Area", to_field="code", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "area"], name="uniq_calendar_day_area")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Case(models.Model):
    """A monitoring case: from the first report, through identification, assistance and elimination."""

    village = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    source = models.CharField("来源", max_length=16, choices=_choices(codes.SOURCES))
    source_ref = models.CharField("来源编号", max_length=64, blank=True)  # e.g. "warning:17", "visit:3"
    state = models.CharField(
        "状态", max_length=24, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.LEAD.value
    )
    state_since = models.DateField("进入本状态日期")
    due_on = models.DateField("本步办理期限", null=True, blank=True, db_index=True)
    opened_on = models.DateField("立案日期")
    summary = models.TextField("风险情况")
    hardship = models.CharField("困难类型", max_length=16, blank=True)
    # self-report without an account: who reported (the ID only as hash and masked form)
    reporter_name = models.CharField("申报人", max_length=60, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    reporter_id_hash = models.CharField(max_length=40, blank=True, db_index=True)
    reporter_id_masked = models.CharField("申报人身份证号", max_length=18, blank=True)
    # what the steps recorded
    consent_signed_on = models.DateField("承诺授权书签署日期", null=True, blank=True)
    survey = models.TextField("入户核查情况", blank=True)
    comparison = models.JSONField("信息比对结果", default=dict, blank=True)
    minutes = models.TextField("评议纪要", blank=True)
    attendees = models.TextField("参会人员", blank=True)
    vote = models.JSONField("评议表决", default=dict, blank=True)  # domain.deliberation.Vote.as_data()
    monitoring_type = models.CharField("监测对象类型", max_length=12, blank=True)
    risk_codes = models.JSONField("风险类型", default=list, blank=True)
    rigid_expenditure_resolved = models.BooleanField("大额刚性支出已解决", default=False)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    _change_reason: str  # not a column: simple_history stores it with the next historical row
    # not columns: the case page's events, measures and notices, attached by selectors.case_detail
    _events: list[CaseEvent]
    _measures: list[Measure]
    _notices: list[PublicNotice]

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["village", "state"]), models.Index(fields=["state", "due_on"])]
        constraints = [
            # A household has at most one live case (rejected ones are history), even under concurrent reports.
            models.UniqueConstraint(
                fields=["household"], condition=~models.Q(state=State.REJECTED.value), name="uniq_live_case"
            )
        ]

    def __str__(self) -> str:
        return f"案件#{self.pk}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    @property
    def source_label(self) -> str:
        return codes.SOURCES.get(self.source, self.source)


class CaseEvent(StepLog):
    """One step of a case (core.models.StepLog), with its attachments."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    table = procedure.TABLE

    class Meta:
        ordering = ["case_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.event}"


class CaseAttachment(models.Model):
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="casework/%Y/%m/")
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class PublicNotice(models.Model):
    """A village public notice (公示) kept with its case: dates, objection deadline, the printed text."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=12, choices=[("identify", "纳入监测对象公示"), ("eliminate", "风险消除公示")])
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束(异议截止)")
    place = models.CharField("张贴地点", max_length=100)
    title = models.CharField(max_length=100)
    body = models.TextField()  # snapshot with ID numbers masked: what was posted stays as posted
    withdrawn = models.BooleanField(default=False)  # an objection ended it early

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Objection(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.notice_id}@{self.received_on}"


class Measure(models.Model):
    """One measure of the household's plan (一户一策), from the 14 national categories."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    category = models.CharField("类别", max_length=24, choices=_choices(codes.MEASURE_CATEGORIES))
    title = models.CharField("措施", max_length=120)
    responsible = models.CharField("帮扶责任人", max_length=60)
    responsible_unit = models.CharField("责任单位", max_length=100, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    amount = money_field("金额(元)", default=Decimal("0"))
    status = models.CharField("状态", max_length=12, choices=_choices(codes.MEASURE_STATUS), default="planned")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "starts_on", "pk"]
        constraints = bounded("measure", {"amount": MONEY_LIMIT})

    def __str__(self) -> str:
        return self.title

    @property
    def category_label(self) -> str:
        return codes.MEASURE_CATEGORIES[self.category]


class VisitObligation(models.Model):
    """How often households of a category must be contacted, per area with effective dates."""

    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("户类别", max_length=12, choices=_choices(codes.VISIT_CATEGORIES))
    visits = models.PositiveSmallIntegerField("次数")
    period = models.CharField("周期", max_length=8, choices=_choices(codes.VISIT_PERIODS))
    phone_counts = models.BooleanField("电话联系计入", default=False)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        ordering = ["area_id", "category", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.category} {self.visits}/{self.period}"


class Absence(models.Model):
    """A household whose members are away for a long time (contacted by phone, quarterly)."""

    household = models.OneToOneField("registry.Household", on_delete=models.CASCADE, related_name="absence")
    since = models.DateField("外出起始")
    note = models.CharField("说明", max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.household_id} away since {self.since}"


class Visit(models.Model):
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="visits")
    grid = models.ForeignKey("areas.Grid", null=True, on_delete=models.SET_NULL, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    visited_on = models.DateField("走访日期")
    mode = models.CharField("方式", max_length=10, choices=_choices(codes.VISIT_MODES))
    checks = models.JSONField("发现变化", default=list, blank=True)  # keys of codes.VISIT_CHECKS
    note = models.TextField("情况记录", blank=True)
    photo = models.FileField("照片", upload_to="visits/%Y/%m/", blank=True)
    lead = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.household_id}@{self.visited_on}"


class SelfReportAttempt(models.Model):
    """Rate-limit ledger for the public self-report page: keyed hashes only, never address or ID."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    address_hash = models.CharField(max_length=40, db_index=True)
    id_hash = models.CharField(max_length=40, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"attempt@{self.at}"


class SelfReportReceipt(models.Model):
    """What an anonymous reporter can look up later: the reference they were given and the progress of
    their report. The phone they typed is kept only as a keyed hash: it is the second thing they give
    to look the report up, so a reference alone shows nothing."""

    reference = models.CharField("申报编号", max_length=20, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=40)
    due_on = models.DateField(null=True, blank=True)  # what the reporter was told: a new lead's deadline
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reference
