"""Enterprises and co-ops, their products, sales, institutional orders and payments to households.

Stock, order states and statement lines are changed only by services (see services/).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from bangfu.core.models import StepLog, money_field, quantity_field
from bangfu.market.domain import certification, codes, orders
from bangfu.market.domain.certification import TABLE as CERTIFICATION_TABLE
from bangfu.market.domain.orders import STATE_LABELS, OrderState


def _choices(labels: dict[Any, str]) -> list[tuple[str, Any]]:
    """Choices whose labels (marked in `domain/` with gettext_noop) show in the reader's language."""
    return [(k.value, gettext_lazy(v)) for k, v in labels.items()]


class Enterprise(models.Model):
    """An enterprise or co-operative that brings income to registered households (带贫益贫主体)."""

    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=16, choices=_choices(codes.ENTERPRISE_KIND_LABELS))
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    area = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name="所在地"
    )
    leader = models.CharField("负责人", max_length=60)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "name"]
        indexes = [models.Index(fields=["area", "name"])]

    def __str__(self) -> str:
        return self.name


class CounterpartLink(models.Model):
    """对口帮扶 / 东西部协作: a partner (e.g. 福建's aid-to-Tibet team) supporting the enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="counterparts")
    partner = models.CharField("帮扶方", max_length=120)
    partner_province = models.CharField("帮扶省份", max_length=20)
    kind = models.CharField("帮扶形式", max_length=40)  # 对口援藏, 东西部协作, 定点帮扶 …
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    support = models.TextField("帮扶内容", blank=True)

    class Meta:
        ordering = ["enterprise_id", "start"]

    def __str__(self) -> str:
        return f"{self.partner} → {self.enterprise_id}"


class HouseholdLink(models.Model):
    """How the enterprise brings income to one household (联农带农): employment, buying produce, dividends."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="household_links")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("联结方式", max_length=20, choices=_choices(codes.LINK_KIND_LABELS))
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["enterprise_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "household", "kind", "start"], name="uniq_market_household_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}-{self.household_id}:{self.kind}"


class Product(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="products")
    name = models.CharField("品名", max_length=80)
    category = models.CharField("品类", max_length=40)
    unit = models.CharField("计量单位", max_length=8, choices=_choices(codes.UNIT_LABELS))
    spec = models.CharField("规格", max_length=80, blank=True)
    description = models.TextField("介绍", blank=True)
    photo = models.FileField("图片", upload_to="market/products/", blank=True)
    # Stock in `unit`. `reserved` is held by open institutional orders; free = on_hand − reserved.
    on_hand = quantity_field("库存", default=Decimal("0"))
    reserved = quantity_field("已预留", default=Decimal("0"))
    active = models.BooleanField("在售", default=True)

    class Meta:
        ordering = ["enterprise_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name", "spec"], name="uniq_market_product"),
            # The database itself refuses overselling, whatever code path runs.
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0) & models.Q(on_hand__gte=models.F("reserved")),
                name="market_stock_not_oversold",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free(self) -> Decimal:
        free: Decimal = self.on_hand - self.reserved
        return free


class PriceRecord(models.Model):
    """Price per unit from a date on; the history is kept, the latest started one is in force."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price = money_field("单价(元)")
    effective_from = models.DateField("起始日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["product", "effective_from"], name="uniq_market_price_day")]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.effective_from}: {self.price}"


class ProductionRecord(models.Model):
    """Output of one product on one day; recording it adds the output to stock."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="production")
    day = models.DateField("日期")
    quantity = quantity_field("产量")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["product_id", "-day"]
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="uniq_market_production_day")]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.day}: {self.quantity}"


# The states and the steps between them live in domain/certification.py; the name stays for callers.
CertState = certification.State


class Certification(models.Model):
    """认定为帮扶产品: applied by the enterprise, reviewed by the township and the sector bureau, decided
    by the county, valid for configured months (see domain/certification.py)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certifications")
    state = models.CharField(
        "状态", max_length=12, choices=_choices(certification.STATE_LABELS), default=CertState.APPLIED.value
    )
    applied_on = models.DateField("申请日期")
    # The bureau doing the second review, named by the township when it passes the first one.
    sector = models.CharField("复审部门", max_length=20, blank=True, choices=_choices(codes.SECTOR_LABELS))
    number = models.CharField("认定编号", max_length=40, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期止", null=True, blank=True)

    class Meta:
        ordering = ["product_id", "-applied_on"]
        indexes = [models.Index(fields=["state", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.state}"


class CertificationEvent(StepLog):
    """One step of an application (core.models.StepLog); `on` is the day it was taken (a 2019 step: 2019)."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="events")
    table = CERTIFICATION_TABLE

    class Meta:
        ordering = ["certification_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.certification_id}: {self.from_state}→{self.to_state}"

    @property
    def sent_back(self) -> bool:
        """A return or a rejection: the note is the reason the enterprise reads."""
        return self.to_state in (CertState.RETURNED, CertState.REJECTED)


class SalesEvent(models.Model):
    """A promotion held on given days, possibly in several places at once (e.g. the Double-11 fair)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="sales_events")
    name = models.CharField("活动名称", max_length=120)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    places = models.JSONField("举办地点", default=list)

    class Meta:
        ordering = ["enterprise_id", "-start"]

    def __str__(self) -> str:
        return self.name


class SaleRecord(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="sales")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sales")
    day = models.DateField("日期")
    channel = models.CharField("渠道", max_length=16, choices=_choices(codes.CHANNEL_LABELS))
    online = models.BooleanField("线上", default=False)
    platform = models.CharField("平台", max_length=40, blank=True)  # 抖音, 淘宝, the shop's name …
    place = models.CharField("地点", max_length=60, blank=True)
    event = models.ForeignKey(SalesEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="sales")
    order = models.ForeignKey("market.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="sales")
    quantity = quantity_field("数量")
    amount = money_field("金额(元)")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "pk"]
        indexes = [models.Index(fields=["enterprise", "day"]), models.Index(fields=["event"])]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.day}: {self.amount}"


class Buyer(models.Model):
    """An institutional buyer (budget unit, canteen, union) with yearly procurement targets."""

    name = models.CharField("单位名称", max_length=120)
    kind = models.CharField("类型", max_length=16, choices=_choices(codes.BUYER_KIND_LABELS))
    area = models.ForeignKey(
        "areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name="所在地"
    )
    has_canteen = models.BooleanField("有食堂", default=True)  # 无食堂 units are exempt from the share
    contact = models.CharField("联系人", max_length=60, blank=True)
    # The unit's 统一社会信用代码: a user whose enterprise_user membership names it orders for the unit
    # themselves (buyer self-service, README "Orders"); blank = orders go through the county office.
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="uniq_market_buyer")]

    def __str__(self) -> str:
        return self.name


class ProcurementTarget(models.Model):
    """The buyer's canteen purchases in a year and the share reserved for support products (copied from
    the area's parameter when the target is set, so later parameter changes do not rewrite history)."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("年度")
    canteen_purchases = money_field("食堂采购总额(元)")
    share = models.DecimalField("预留比例", max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["buyer_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["buyer", "year"], name="uniq_market_target_year")]

    def __str__(self) -> str:
        return f"{self.buyer_id}/{self.year}"


class Order(models.Model):
    number = models.CharField("订单号", max_length=24, unique=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="orders")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(
        "状态",
        max_length=12,
        choices=_choices(STATE_LABELS),
        default=OrderState.PLACED.value,
    )
    total = money_field("金额(元)")
    placed_at = models.DateTimeField("下单时间", auto_now_add=True)
    inspection_note = models.CharField("验收意见", max_length=200, blank=True)
    settled_on = models.DateField("结算日期", null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "state"]), models.Index(fields=["buyer", "settled_on"])]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = quantity_field("数量")
    unit_price = money_field("单价(元)")
    amount = money_field("金额(元)")

    class Meta:
        ordering = ["order_id", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.product_id} × {self.quantity}"


class OrderEvent(StepLog):
    """One row per transition of an order (core.models.StepLog): from, event, to, who, when, why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    table = orders.TABLE

    class Meta:
        ordering = ["order_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.event} → {self.to_state}"


class Payment(models.Model):
    """Money the enterprise paid a linked household; mirrored as a line of the household's statement."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="payments")
    link = models.ForeignKey(HouseholdLink, on_delete=models.PROTECT, related_name="payments")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=_choices(codes.PAYMENT_KIND_LABELS))
    year = models.PositiveSmallIntegerField("收入年度")
    paid_on = models.DateField("支付日期")
    amount = money_field("金额(元)")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["enterprise_id", "-paid_on", "pk"]
        indexes = [models.Index(fields=["enterprise", "year"]), models.Index(fields=["household", "year"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}→{self.household_id} {self.amount}"

    @property
    def source_ref(self) -> str:
        return f"payment:{self.pk}"


class EnterpriseYear(models.Model):
    """The enterprise's reported yearly figures (统计报表): output value and profit cannot be derived
    from sales records, so they are reported and kept with who reported them."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField("年度")
    output_value = money_field("产值(元)")
    revenue = money_field("营业收入(元)")
    profit = money_field("利润(元)")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["enterprise_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="uniq_market_enterprise_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}/{self.year}"


class MarketParameter(models.Model):
    """A parameter of the market module for an area from a date on (see domain.codes.ParamKey)."""

    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("参数", max_length=32, choices=_choices(codes.PARAM_LABELS))
    value = models.DecimalField("取值", max_digits=12, decimal_places=4)
    effective_from = models.DateField("生效日期")

    class Meta:
        ordering = ["key", "area_id", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["area", "key", "effective_from"], name="uniq_market_param")]

    def __str__(self) -> str:
        return f"{self.key}@{self.area_id} from {self.effective_from}"
