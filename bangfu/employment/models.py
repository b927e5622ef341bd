"""Employment follow-up: workshops and their operators, funding, contracts, payroll, training,
public-welfare posts, collective assets and dividends, and the parameters they are checked against.

Resettlement sites, households and members live in registry; they are referenced by string.
Every row is scoped through a village code (`village`, 12 digits) so areas.scope_for applies.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from bangfu.core.models import StepLog, money_field
from bangfu.employment.domain import transitions
from bangfu.employment.domain.dividends import BASIS_LABELS, Basis
from bangfu.employment.domain.endings import CONTRACT_END_REASONS, POST_END_REASONS, Reason, choices, find
from bangfu.employment.domain.transitions import STATE_LABELS, State
from bangfu.employment.domain.wages import DAY_COUNT_LABELS, WAGE_KIND_LABELS, WageKind


def _village(label: str = "所在村(社区)", related: str = "+") -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name=related, verbose_name=label
    )


class EmploymentPolicy(models.Model):
    """Parameters of an area (province, county …) from a date; the most specific row in force applies."""

    area = _village("适用区域")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    min_poor_workers = models.PositiveIntegerField("认定：最少脱贫人口就业人数")
    min_insurance_per_worker_month = money_field("认定：意外险(元/人/月)")
    upgrade_min_months_running = models.PositiveIntegerField("升级：最短运营月数")
    upgrade_min_long_contract_workers = models.PositiveIntegerField("升级：最少长期合同脱贫劳动力")
    upgrade_min_contract_months = models.PositiveIntegerField("升级：合同最短月数")
    upgrade_min_average_annual_pay = money_field("升级：年均工资下限")
    upgrade_min_annual_revenue = money_field("升级：年营业收入下限")
    welfare_posts_per_household = models.PositiveIntegerField("公益岗位每户上限", null=True, blank=True)
    welfare_max_age = models.PositiveIntegerField("公益岗位年龄上限")
    working_age_min = models.PositiveIntegerField("劳动年龄下限")
    working_age_max = models.PositiveIntegerField("劳动年龄上限")
    # How a month in which probation ends is split (employment/domain/wages.py).
    probation_day_count = models.CharField(
        "试用期跨月计薪天数口径", max_length=12, default="calendar", choices=list(DAY_COUNT_LABELS.items())
    )
    probation_end_day_included = models.BooleanField("试用期届满当日仍按试用期计薪", default=False)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["area_id", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.area_id}@{self.effective_from}"


class Operator(models.Model):
    """The enterprise, co-operative or person running a workshop (kept here, independent of market).

    An enterprise user is linked by Membership.organisation = this operator's credit code.
    """

    name = models.CharField("运营主体", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    contact = models.CharField("联系人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    KINDS = [
        ("factory", gettext_noop("厂房式")),
        ("home", gettext_noop("居家式")),
        ("farming", gettext_noop("种养式")),
        ("trade", gettext_noop("贸易流通式")),
        ("tourism", gettext_noop("文化旅游式")),
    ]
    name = models.CharField("车间名称", max_length=120)
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="workshops", verbose_name="运营主体")
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    village = _village()
    land_village = _village("土地所属村")
    site = models.ForeignKey(
        "registry.ResettlementSite",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="服务安置点",
    )
    site_distance = models.CharField("距安置点", max_length=60, blank=True)
    started_on = models.DateField("投产日期")
    status = models.CharField(
        "认定状态",
        max_length=12,
        choices=[(s.value, STATE_LABELS[s]) for s in State],
        default=State.APPLIED.value,
    )
    insurance_per_worker_month = money_field("意外险(元/人/月)", default=Decimal("0"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["village_id", "name"]

    def __str__(self) -> str:
        return self.name


class WorkshopRevenue(models.Model):
    """A workshop's revenue for one calendar year (营业收入); the upgrade check reads the last full year."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="revenues")
    year = models.PositiveSmallIntegerField("年度")
    amount = money_field("营业收入(元)")
    note = models.CharField("依据", max_length=200, blank=True)  # e.g. the audited accounts it came from
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["workshop_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["workshop", "year"], name="uniq_workshop_revenue_year")]

    def __str__(self) -> str:
        return f"{self.workshop_id}/{self.year} {self.amount}"


class WorkshopEvent(StepLog):
    """One row per status transition (core.models.StepLog); `data["checks"]` keeps the criteria as
    checked at that moment."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    table = transitions.TABLE

    class Meta:
        ordering = ["workshop_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.workshop_id}:{self.from_state}→{self.to_state}"


class FundingSource(models.Model):
    KINDS = [
        ("east_west", gettext_noop("东西部协作资金")),
        ("central", gettext_noop("中央财政衔接资金")),
        ("provincial", gettext_noop("省级资金")),
        ("county", gettext_noop("县级资金")),
        ("enterprise", gettext_noop("企业自筹")),
        ("other", gettext_noop("其他")),
    ]
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="funding")
    kind = models.CharField("资金来源", max_length=12, choices=KINDS)
    amount = money_field("金额(元)")
    partner_province = models.CharField("协作省份", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    note = models.CharField("说明", max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class WageRule(models.Model):
    """A workshop's wage schedule after probation, by code, from a date (a parameter row)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="wage_rules")
    code = models.CharField("规则编号", max_length=20)
    name = models.CharField("名称", max_length=60)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    kind = models.CharField("计薪方式", max_length=12, choices=[(k.value, WAGE_KIND_LABELS[k]) for k in WageKind])
    base = money_field("底薪(元/月)", default=Decimal("0"))
    piece_rate = money_field("计件单价(元/件)", default=Decimal("0"))
    day_rate = money_field("日工资(元/天)", default=Decimal("0"))
    fixed = money_field("固定月薪(元)", default=Decimal("0"))
    cap = money_field("月工资上限(元)", optional=True)

    class Meta:
        ordering = ["workshop_id", "code", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contract(models.Model):
    """劳动合同: a member working at a workshop, probation first, then the workshop's wage rule."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="contracts")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="+")
    job = models.CharField("岗位", max_length=60)
    start = models.DateField("起始日期")
    term_months = models.PositiveSmallIntegerField("合同期限(月)")
    probation_months = models.PositiveSmallIntegerField("试用期(月)", default=0)
    probation_pay = money_field("试用期月薪(元)", default=Decimal("0"))
    wage_code = models.CharField("工资规则编号", max_length=20)
    # The first day the person no longer works here: open_on() counts the contract until the day before.
    end = models.DateField("终止日期", null=True, blank=True)
    end_code = models.CharField("终止原因", max_length=20, blank=True, choices=choices(CONTRACT_END_REASONS))
    end_reason = models.CharField("终止说明", max_length=100, blank=True)  # free-text note beside the code

    class Meta:
        ordering = ["workshop_id", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.workshop_id} {self.job}"

    @property
    def end_why(self) -> Reason | None:
        """The coded reason it ended, which carries both languages (shown with the `tr` filter)."""
        return find(CONTRACT_END_REASONS, self.end_code)


class Payslip(models.Model):
    """One month of one contract. Re-entering the month is a correction: it needs a reason, and the
    figures it replaced are kept in a PayslipCorrection (the income line follows the corrected gross)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payslips")
    month = models.DateField("月份")  # first day of the month
    scheduled_days = models.PositiveSmallIntegerField("应出勤天数")
    days_worked = models.PositiveSmallIntegerField("实际出勤天数")
    pieces = models.PositiveIntegerField("计件数", default=0)
    wage_rule = models.ForeignKey(WageRule, null=True, on_delete=models.PROTECT, related_name="+")
    in_probation = models.BooleanField("试用期", default=False)
    monthly_part = money_field("月薪部分")
    piece_part = money_field("计件部分")
    day_part = money_field("计日部分")
    capped = models.BooleanField("封顶", default=False)
    gross = money_field("应发工资")
    # A month in which probation ended: the days before at the probation rate (see domain/wages.py).
    probation_part = money_field("试用期部分", default=Decimal("0"))
    probation_days = models.PositiveSmallIntegerField("试用期计薪天数", default=0)
    regular_days = models.PositiveSmallIntegerField("转正后计薪天数", default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "contract_id"]
        constraints = [models.UniqueConstraint(fields=["contract", "month"], name="uniq_payslip_month")]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.month:%Y-%m} {self.gross}"


class PayslipCorrection(models.Model):
    """A payslip re-entered: the figures before and after, who corrected it, when and why (工资更正记录)."""

    payslip = models.ForeignKey(Payslip, on_delete=models.PROTECT, related_name="corrections")
    before = models.JSONField("更正前")  # the payslip's figures as they were (amounts as strings)
    after = models.JSONField("更正后")
    previous_gross = money_field("原应发工资")
    gross = money_field("更正后应发工资")
    reason = models.TextField("更正理由")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        ordering = ["payslip_id", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="payslip_correction_reason")]

    def __str__(self) -> str:
        return f"{self.payslip_id}: {self.previous_gross} → {self.gross}"


class TrainingCourse(models.Model):
    """A training (incl. order-based 劳务订单培训 for a workshop), organised for an area."""

    village = _village("组织地(村/社区)")
    workshop = models.ForeignKey(
        Workshop,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name="订单车间",
    )
    provider = models.CharField("培训机构", max_length=120)
    place = models.CharField("培训地点", max_length=120)
    province = models.CharField("培训省份", max_length=20)
    skill = models.CharField("培训工种", max_length=60)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    hours = models.PositiveSmallIntegerField("学时")
    order_based = models.BooleanField("订单培训", default=False)
    certificate = models.CharField("证书名称", max_length=100, blank=True)

    class Meta:
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return f"{self.skill} {self.start}"


class TrainingRecord(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="+")
    completed = models.BooleanField("结业", default=True)
    certificate_no = models.CharField("证书编号", max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "member"], name="uniq_trainee")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.course_id}"


class WelfarePost(models.Model):
    LEVELS = [
        ("ministry", gettext_noop("行业部门")),
        ("township", gettext_noop("乡镇")),
        ("village", gettext_noop("村级")),
    ]
    village = _village()
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="+")
    post_type = models.CharField("岗位类型", max_length=40)  # 生态护林员, 保洁员, 护路员 …
    level = models.CharField("岗位级别", max_length=10, choices=LEVELS)
    year = models.PositiveSmallIntegerField("聘用年度")
    start = models.DateField("聘用起始")
    end = models.DateField("聘用截止")  # last day served (inclusive); annual contract, renewed after assessment
    monthly_pay = money_field("月补贴(元)")
    months_served = models.PositiveSmallIntegerField("聘用月数", default=0)
    end_code = models.CharField("退岗原因", max_length=20, blank=True, choices=choices(POST_END_REASONS))
    ended_reason = models.CharField("退岗说明", max_length=100, blank=True)  # free-text note beside the code

    class Meta:
        ordering = ["-year", "village_id", "pk"]

    def __str__(self) -> str:
        return f"{self.post_type} {self.year} {self.member_id}"

    @property
    def end_why(self) -> Reason | None:
        """The coded reason the post ended, in both languages (shown with the `tr` filter)."""
        return find(POST_END_REASONS, self.end_code)


class CollectiveAsset(models.Model):
    """A village collective's income-earning asset (e.g. the workshop's land), per 扶贫项目资产 ledgers."""

    KINDS = [
        ("land", gettext_noop("土地")),
        ("building", gettext_noop("厂房")),
        ("equipment", gettext_noop("设备")),
        ("other", gettext_noop("其他")),
    ]
    village = _village("所属村集体")
    name = models.CharField("资产名称", max_length=120)
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.PROTECT, related_name="assets")
    annual_rent = money_field("年租金(元)", default=Decimal("0"))

    def __str__(self) -> str:
        return self.name


class DividendRule(models.Model):
    """How an asset's income is split (a parameter row per asset, with effective dates)."""

    ELIGIBILITY = [
        ("relocated_poor", gettext_noop("本村易地搬迁脱贫户")),
        ("relocated", gettext_noop("本村易地搬迁户")),
        ("poverty_exited", gettext_noop("本村脱贫户")),
    ]
    asset = models.ForeignKey(CollectiveAsset, on_delete=models.CASCADE, related_name="rules")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    collective_share = models.DecimalField("集体留存比例", max_digits=5, decimal_places=4)
    basis = models.CharField("分红方式", max_length=10, choices=[(b.value, BASIS_LABELS[b]) for b in Basis])
    eligibility = models.CharField("分红对象", max_length=16, choices=ELIGIBILITY)

    class Meta:
        ordering = ["asset_id", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.asset_id}@{self.effective_from} {self.collective_share}"


class AssetIncome(models.Model):
    """Rent (or other income) received for an asset, and how it was split when distributed."""

    asset = models.ForeignKey(CollectiveAsset, on_delete=models.PROTECT, related_name="incomes")
    year = models.PositiveSmallIntegerField("收益年度")
    amount = money_field("收益金额(元)")
    received_on = models.DateField("到账日期")
    rule = models.ForeignKey(DividendRule, null=True, on_delete=models.PROTECT, related_name="+")
    collective_amount = money_field("集体留存(元)", optional=True)
    dividend_amount = money_field("分红总额(元)", optional=True)
    distributed_at = models.DateTimeField("分配时间", null=True)

    class Meta:
        ordering = ["-received_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["asset", "year"], name="uniq_asset_income_year")]

    def __str__(self) -> str:
        return f"{self.asset_id}/{self.year} {self.amount}"


class DividendShare(models.Model):
    income = models.ForeignKey(AssetIncome, on_delete=models.PROTECT, related_name="shares")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    members = models.PositiveSmallIntegerField("人口")
    amount = money_field("分红(元)")

    class Meta:
        ordering = ["income_id", "household_id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.amount}"
