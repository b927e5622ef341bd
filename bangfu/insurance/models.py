"""Poverty-prevention insurance: schemes and their per-cause terms, claims, payments, the fund ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bangfu.core.guards import bounded
from bangfu.core.models import MONEY_LIMIT, StepLog, money_field
from bangfu.insurance.domain import codes, workflow
from bangfu.insurance.domain.workflow import STATUS_LABELS, Status


class Scheme(models.Model):
    """A county's insurance for one year (险种方案): who insures whom, at what premium and fee."""

    county = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name="县"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("方案名称", max_length=100)
    insurer = models.CharField("承保公司", max_length=100)  # matches Membership.organisation of adjusters
    policyholder = models.CharField("投保人", max_length=100)
    period_start = models.DateField("保险期间起")
    period_end = models.DateField("保险期间止")
    basis = models.CharField("承保基础", max_length=8, choices=list(codes.BASES.items()))
    basis_share = models.DecimalField("承保比例", max_digits=5, decimal_places=4, default=Decimal("0"))
    basis_count = models.PositiveIntegerField("固定承保人数", default=0)
    insured_groups = models.JSONField("承保人群", default=list, blank=True)
    premium_per_person = money_field("每人保费(元)")
    fee_rate = models.DecimalField("服务费率(占赔款)", max_digits=5, decimal_places=4, default=Decimal("0"))
    carry_over = models.BooleanField("结余结转下年", default=True)
    deficit_topup = models.BooleanField("不足由财政补足", default=True)
    income_line = money_field("防贫线(人均纯收入,元/年)")
    publicity_required = models.BooleanField("赔付前须公示", default=False)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=5)
    # Duplicate detection (重复报案识别), see domain/duplicates.py.
    dup_amount_tolerance = money_field("重复识别：金额容差(元)", default=Decimal("0"))
    dup_date_slack_days = models.PositiveSmallIntegerField("重复识别：日期容差(天)", default=0)
    dup_count_rejected = models.BooleanField("重复识别：已驳回的理赔也算", default=False)
    history = HistoricalRecords()
    _change_reason: str  # not a column: simple_history stores it with the next historical row

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="uniq_scheme_county_year")]
        ordering = ["county_id", "-year"]

    def __str__(self) -> str:
        return self.name


class CauseTerms(models.Model):
    """One version of a cause's terms; a change adds a version with a later effective date."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="terms")
    cause = models.CharField("致贫风险类别", max_length=24)
    label = models.CharField("名称", max_length=40)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    deductible = money_field("起付线(免扶助额)")
    per_claim_cap = money_field("单次封顶", optional=True)
    annual_cap = money_field("年度封顶", optional=True)
    annual_cap_per = models.CharField(
        "年度封顶计算对象",
        max_length=10,
        default="household",
        choices=[("household", "每户"), ("person", "每人")],
    )
    income_line = money_field("本类防贫线(空则用方案防贫线)", optional=True)
    deducted_aid = models.JSONField("先行扣减的其他资助", default=list, blank=True)
    thresholds = models.JSONField("支出条件(按人群)", default=dict, blank=True)  # group or "*" → yuan
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "cause", "effective_from"], name="uniq_terms_version")]
        ordering = ["scheme_id", "cause", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.label} {self.effective_from}"


class TermsBand(models.Model):
    terms = models.ForeignKey(CauseTerms, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField()
    lower = money_field("下限")
    upper = money_field("上限", optional=True)
    rate = models.DecimalField("赔付比例", max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["terms_id", "position"]
        constraints = [models.UniqueConstraint(fields=["terms", "position"], name="uniq_band_position")]

    def __str__(self) -> str:
        return f"{self.lower}-{self.upper}@{self.rate}"


class DocumentRule(models.Model):
    """Documents a claim must carry before survey, approval and payment (材料要求), one version from a date.

    `cause` is a cause code or "*" for every cause (a cause's own rule wins). The version in force on
    a claim's application date applies, like the terms.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="document_rules")
    cause = models.CharField("风险类别(*为全部)", max_length=24, default="*")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    before_survey = models.JSONField("勘查前须有", default=list, blank=True)
    before_approve = models.JSONField("审批前须有", default=list, blank=True)
    before_pay = models.JSONField("支付前须有", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme_id", "cause", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "cause", "effective_from"], name="uniq_document_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.cause} {self.effective_from}"

    def as_steps(self) -> dict[str, list[str]]:
        return {"survey": self.before_survey, "approve": self.before_approve, "pay": self.before_pay}


class Claim(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="claims")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cause = models.CharField("致贫风险类别", max_length=24)
    status = models.CharField(
        "状态", max_length=12, default=Status.SUBMITTED, choices=[(s.value, STATUS_LABELS[s]) for s in Status]
    )
    channel = models.CharField("来源渠道", max_length=12, choices=list(codes.CHANNELS.items()))
    source_ref = models.CharField("关联预警/案件", max_length=64, blank=True)  # opaque, e.g. "warning:12"
    applied_on = models.DateField("申请日期")
    group = models.CharField("人群类别", max_length=12)
    note = models.TextField("情况说明", blank=True)
    # Set by the home survey (入户勘查).
    surveyed_on = models.DateField("勘查日期", null=True, blank=True)
    survey_notes = models.TextField("勘查意见", blank=True)
    per_capita_income = money_field("核实人均纯收入", optional=True)
    # Set by the calculation; `terms` is the version the figures came from.
    terms = models.ForeignKey(CauseTerms, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    eligible = models.BooleanField(null=True)
    total_expense = money_field("申报费用", optional=True)
    deducted = money_field("扣减其他资助", optional=True)
    eligible_expense = money_field("合规支出", optional=True)
    payout = money_field("核定赔款", optional=True)
    explanation = models.JSONField("核算说明", default=dict, blank=True)
    publicised_on = models.DateField("公示日期", null=True, blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    reject_code = models.CharField("驳回原因", max_length=32, blank=True, choices=list(codes.REJECT_CODES.items()))
    reject_reason = models.TextField("驳回说明", blank=True)
    # Filed although it repeats earlier claims: which, and the adjuster's recorded reason.
    duplicate_of = models.JSONField("疑似重复的理赔", default=list, blank=True)
    duplicate_reason = models.TextField("重复报案例外理由", blank=True)
    duplicate_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    _change_reason: str  # not a column: simple_history stores it with the next historical row

    class Meta:
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(fields=["household", "applied_on"]),
        ]

    def __str__(self) -> str:
        return f"理赔#{self.pk}"

    @property
    def cause_label(self) -> str:
        return codes.cause_label(self.cause)


class ClaimExpense(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="expenses")
    description = models.CharField("费用项目", max_length=120)
    amount = money_field("金额(元)")
    incurred_on = models.DateField("发生日期", null=True, blank=True)
    incurred_to = models.DateField("截止日期(费用期间)", null=True, blank=True)
    receipt_no = models.CharField("票据号", max_length=40, blank=True)

    class Meta:
        ordering = ["claim_id", "pk"]
        indexes = [
            models.Index(fields=["receipt_no"], condition=~models.Q(receipt_no=""), name="claimexpense_receipt"),
        ]
        constraints = bounded("claimexpense", {"amount": MONEY_LIMIT})

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class ClaimAid(models.Model):
    """Other aid received for the same costs; deducted first when the terms say so."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="aid")
    kind = models.CharField("资助类型", max_length=24, choices=list(codes.AID_KINDS.items()))
    amount = money_field("金额(元)")
    note = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        ordering = ["claim_id", "pk"]
        constraints = bounded("claimaid", {"amount": MONEY_LIMIT})

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


def _document_path(instance: ClaimDocument, filename: str) -> str:
    return f"insurance/claims/{instance.claim_id}/{filename}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("材料类型", max_length=12, choices=list(codes.DOCUMENT_KINDS.items()))
    file = models.FileField("文件", upload_to=_document_path)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "pk"]

    def __str__(self) -> str:
        return self.file.name or ""


class ClaimEvent(StepLog):
    """One row per workflow transition (core.models.StepLog): the claim's timeline. `on` is the day the
    step happened (a survey may be entered later)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    table = workflow.TABLE

    class Meta:
        ordering = ["claim_id", "pk"]  # the order the steps were taken; their dates never go backwards

    def __str__(self) -> str:
        return f"{self.claim_id}:{self.event}"


class Payment(models.Model):
    """The payment of a claim. One per claim, enforced by the database, not only by the code."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    amount = money_field("赔款金额")
    reference = models.CharField("支付凭证号", max_length=64)
    paid_on = models.DateField("支付日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim"], name="uniq_payment_claim"),
            *bounded("payment", {"amount": MONEY_LIMIT}),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class LedgerEntry(models.Model):
    """The fund ledger (基金台账): amounts are positive, the kind says which way the money went."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField("类型", max_length=10, choices=list(codes.LEDGER_KINDS.items()))
    amount = money_field("金额(元)")
    on = models.DateField("日期")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    persons = models.PositiveIntegerField("承保人数", null=True, blank=True)
    reference = models.CharField("凭证号", max_length=64, blank=True)
    note = models.CharField("摘要", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["scheme_id", "on", "pk"]
        constraints = [
            # A payout or fee is booked once per claim; carry-over and top-up once per scheme.
            models.UniqueConstraint(
                fields=["claim", "kind"],
                condition=models.Q(claim__isnull=False),
                name="uniq_ledger_claim_kind",
            ),
            models.UniqueConstraint(
                fields=["scheme", "kind"],
                condition=models.Q(kind__in=["carry_out", "topup"]),
                name="uniq_ledger_settlement",
            ),
            *bounded("ledgerentry", {"amount": MONEY_LIMIT, "persons": 2**31}),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
