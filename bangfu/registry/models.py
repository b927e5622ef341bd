"""Households, members, yearly income statements, guarantee checks, resettlement sites."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.core.domain.idnumber import mask
from bangfu.core.guards import bounded
from bangfu.core.models import MONEY_LIMIT, money_field
from bangfu.registry.domain import codes


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v or "—") for v in values]


class ResettlementSite(models.Model):
    """集中安置点: where relocated households (易地扶贫搬迁) were resettled."""

    name = models.CharField(_("安置点名称"), max_length=100)
    area = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在村(社区)")
    )
    kind = models.CharField(_("安置方式"), max_length=8, choices=list(codes.SITE_KINDS.items()), blank=True)
    community = models.CharField(_("管理社区(居委会)"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    planned_households = models.PositiveIntegerField(_("规划户数"), default=0)
    planned_people = models.PositiveIntegerField(_("规划人数"), default=0)
    completed_year = models.PositiveIntegerField(_("建成年份"), null=True, blank=True)
    services = models.TextField(_("配套服务"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("集中安置点")
        ordering = ["area_id", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    number = models.CharField(_("户编号"), max_length=30, unique=True)
    # No single-column indexes on village and grid: the (village, number) and (grid, number)
    # indexes below serve those look-ups too, and every extra index slows the county's Excel import.
    village = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name=_("村"), db_index=False
    )
    group = models.ForeignKey(
        "areas.Area",
        to_field="code",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("村民小组"),
        db_index=False,  # partial index below: most households have no group
    )
    grid = models.ForeignKey(
        "areas.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("网格"),
        db_index=False,
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    head_name = models.CharField(_("户主姓名"), max_length=60, blank=True)  # kept in step by services
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    size = models.PositiveSmallIntegerField(_("家庭人口"), default=0)  # kept in step by services
    status = models.CharField(_("户状态"), max_length=8, choices=_choices(codes.HOUSEHOLD_STATUS), default="正常")
    poverty_exited = models.BooleanField(_("脱贫户"), default=False)
    exit_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    monitoring_type = models.CharField(
        _("监测对象类型"), max_length=12, choices=_choices(codes.MONITORING_TYPE), blank=True
    )
    monitoring_since = models.DateField(_("纳入监测日期"), null=True, blank=True)
    risk_eliminated_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    risk_codes = models.JSONField(_("风险类型"), default=list, blank=True)
    dibao = models.BooleanField(_("低保户"), default=False)
    dibao_since = models.DateField(_("低保起始"), null=True, blank=True)
    tekun = models.BooleanField(_("特困供养"), default=False)
    tekun_since = models.DateField(_("特困起始"), null=True, blank=True)
    relocated = models.BooleanField(_("易地搬迁户"), default=False)
    relocation_site = models.ForeignKey(
        ResettlementSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("安置点"),
        db_index=False,  # partial index below: only relocated households have a site
    )
    relocated_on = models.DateField(_("搬迁入住日期"), null=True, blank=True)
    relocated_from = models.ForeignKey(
        "areas.Area",
        to_field="code",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("迁出村"),
        db_index=False,  # partial index below
    )
    no_labour = models.BooleanField(_("整户无劳动力"), default=False)
    no_labour_since = models.DateField(_("无劳动力认定日期"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # History is read by household id only: its copies of the registry's other indexes would cost
    # every write (and the import's 100,000 history rows) without serving any query.
    history = HistoricalRecords(
        excluded_fields=["updated"],
        no_db_index=["number", "village", "group", "grid", "relocation_site", "relocated_from"],
    )
    _change_reason: str  # not a column: simple_history stores it with the next historical row

    class Meta:
        verbose_name = verbose_name_plural = _("农户")
        indexes = [
            models.Index(fields=["village", "number"]),
            models.Index(fields=["grid", "number"]),
            models.Index(fields=["head_name"]),
            # Partial: NULL for most households, and `x = value` look-ups imply x IS NOT NULL.
            models.Index(fields=["group"], condition=models.Q(group__isnull=False), name="household_group_set"),
            models.Index(
                fields=["relocation_site"], condition=models.Q(relocation_site__isnull=False), name="household_site_set"
            ),
            models.Index(
                fields=["relocated_from"], condition=models.Q(relocated_from__isnull=False), name="household_from_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}"

    @property
    def closed(self) -> bool:
        """The household is no longer on the register (户状态 other than 正常)."""
        return self.status != codes.HOUSEHOLD_STATUS[0]


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=60)
    id_hash = models.CharField(max_length=40, unique=True)  # keyed HMAC: look-up without the number
    id_enc = models.CharField(max_length=120)  # AES-GCM; decrypted only for roles allowed to see it
    id_masked = models.CharField(_("身份证号"), max_length=18)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    relation = models.CharField(_("与户主关系"), max_length=8, choices=_choices(codes.RELATION))
    ethnicity = models.CharField(_("民族"), max_length=8, choices=_choices(codes.ETHNICITY), default="汉族")
    education = models.CharField(_("文化程度"), max_length=12, choices=_choices(codes.EDUCATION), blank=True)
    in_school = models.CharField(_("在校生状况"), max_length=8, choices=_choices(codes.IN_SCHOOL), default="非在校生")
    health = models.CharField(_("健康状况"), max_length=8, choices=_choices(codes.HEALTH), default="健康")
    disability_grade = models.CharField(
        _("残疾等级"), max_length=4, choices=_choices(codes.DISABILITY_GRADE), blank=True
    )
    labour = models.CharField(_("劳动技能"), max_length=12, choices=_choices(codes.LABOUR), default="普通劳动力")
    employment = models.CharField(_("就业状况"), max_length=8, choices=_choices(codes.EMPLOYMENT), default="未就业")
    work_place = models.CharField(_("务工地点"), max_length=8, choices=_choices(codes.WORK_PLACE), blank=True)
    months_worked = models.PositiveSmallIntegerField(_("务工月数"), default=0)
    medical_insurance = models.CharField(
        _("医疗保险"), max_length=12, choices=_choices(codes.MEDICAL_INSURANCE), default="城乡居民基本医疗保险"
    )
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    left_reason = models.CharField(_("减员原因"), max_length=60, blank=True)
    history = HistoricalRecords(excluded_fields=["id_enc", "id_hash"], no_db_index=["household"])  # read by id
    _change_reason: str  # not a column: simple_history stores it with the next historical row

    class Meta:
        verbose_name = verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "pk"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} {self.id_masked}"

    @property
    def at_school(self) -> bool:
        """In school at some stage (在校生状况 other than 非在校生)."""
        return self.in_school not in ("", codes.IN_SCHOOL[0])

    @property
    def masked(self) -> str:
        return self.id_masked or mask("")


class IncomeStatement(models.Model):
    """A household's income for one year; totals are recomputed from its items by services."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="statements")
    year = models.PositiveSmallIntegerField(_("年度"))
    size = models.PositiveSmallIntegerField(_("计算人口"), default=0)
    wage = money_field(gettext_noop("工资性收入"), default=Decimal("0"))
    business_income = money_field(gettext_noop("生产经营性收入"), default=Decimal("0"))
    business_cost = money_field(gettext_noop("生产经营性支出"), default=Decimal("0"))
    property = money_field(gettext_noop("财产性收入"), default=Decimal("0"))
    transfer = money_field(gettext_noop("转移性收入"), default=Decimal("0"))
    claims = money_field(gettext_noop("理赔收入"), default=Decimal("0"))
    out_of_pocket = money_field(gettext_noop("合规自付支出"), default=Decimal("0"))
    net_income = money_field(gettext_noop("家庭纯收入"), default=Decimal("0"))
    per_capita = money_field(gettext_noop("家庭人均纯收入"), default=Decimal("0"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("年度收入")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="uniq_statement_year"),
            # The last guard: SQLite would store what DECIMAL(12, 2) cannot hold, then fail every read.
            *bounded(
                "incomestatement",
                dict.fromkeys(
                    [
                        "wage",
                        "business_income",
                        "business_cost",
                        "property",
                        "transfer",
                        "claims",
                        "out_of_pocket",
                        "net_income",
                        "per_capita",
                    ],
                    MONEY_LIMIT,
                ),
                signed=("net_income", "per_capita"),
            ),
        ]
        ordering = ["household_id", "-year"]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.year}"


class IncomeItem(models.Model):
    """One line of a statement. Lines fed by other modules carry their source so they update in place."""

    statement = models.ForeignKey(IncomeStatement, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("收入项目"), max_length=32, choices=[(c, lbl) for c, _, lbl in codes.INCOME_ITEMS])
    amount = money_field(gettext_noop("金额(元)"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("来源"), max_length=24, default="manual")  # a key of codes.INCOME_SOURCES
    source_ref = models.CharField(max_length=64, blank=True)  # e.g. "claim:12"; unique within a statement
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("收入明细")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="uniq_income_source_ref",
            ),
            *bounded("incomeitem", {"amount": MONEY_LIMIT}),
        ]

    def __str__(self) -> str:
        return f"{gettext(self.get_item_display())} {self.amount}"  # the change history shows it

    @property
    def source_label(self) -> str:
        """Who wrote the line, as a person reads it (the stored source is a key of codes.INCOME_SOURCES)."""
        return codes.INCOME_SOURCES.get(self.source, self.source)


class GuaranteeCheck(models.Model):
    """两不愁三保障 + 饮水安全, as found on a given date; the latest check is the current status."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guarantee_checks")
    checked_on = models.DateField(_("核查日期"))
    housing_safe = models.BooleanField(_("住房安全"), default=True)
    schooling_ok = models.BooleanField(_("义务教育有保障"), default=True)
    medical_ok = models.BooleanField(_("基本医疗有保障"), default=True)
    water_safe = models.BooleanField(_("饮水安全"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("三保障核查")
        ordering = ["household_id", "-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id}@{self.checked_on}"

    @property
    def all_secure(self) -> bool:
        return self.housing_safe and self.schooling_ok and self.medical_ok and self.water_safe
