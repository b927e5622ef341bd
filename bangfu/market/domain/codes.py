"""Coded values of the market module: enterprise kinds, units, sales channels, links, payments, sectors."""

from __future__ import annotations

from enum import StrEnum

from bangfu.core.domain.text import gettext_noop


class EnterpriseKind(StrEnum):
    COMPANY = "company"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"
    WORKSHOP = "workshop"


ENTERPRISE_KIND_LABELS = {
    EnterpriseKind.COMPANY: gettext_noop("企业"),
    EnterpriseKind.COOPERATIVE: gettext_noop("农民专业合作社"),
    EnterpriseKind.FAMILY_FARM: gettext_noop("家庭农场"),
    EnterpriseKind.WORKSHOP: gettext_noop("帮扶车间"),
}


class Unit(StrEnum):
    JIN = "jin"
    KG = "kg"
    PIECE = "piece"
    BOX = "box"


UNIT_LABELS = {
    Unit.JIN: gettext_noop("斤"),
    Unit.KG: gettext_noop("公斤"),
    Unit.PIECE: gettext_noop("件"),
    Unit.BOX: gettext_noop("箱"),
}


class Channel(StrEnum):
    COUNTER = "counter"
    FAIR = "fair"
    ONLINE_SHOP = "online_shop"
    LIVESTREAM = "livestream"
    INSTITUTIONAL = "institutional"


CHANNEL_LABELS = {
    Channel.COUNTER: gettext_noop("专柜门店"),
    Channel.FAIR: gettext_noop("展销会"),
    Channel.ONLINE_SHOP: gettext_noop("网店"),
    Channel.LIVESTREAM: gettext_noop("直播带货"),
    Channel.INSTITUTIONAL: gettext_noop("机关单位采购"),
}
# Channels that are online by nature; a fair can be either, so the sale record says which.
ALWAYS_ONLINE = frozenset({Channel.ONLINE_SHOP, Channel.LIVESTREAM})
NEEDS_PLATFORM = frozenset({Channel.LIVESTREAM})


class LinkKind(StrEnum):
    """How an enterprise brings income to a household (联农带农): wages, asset returns, business income."""

    EMPLOYMENT = "employment"
    PRODUCE_PURCHASE = "produce_purchase"
    DIVIDEND = "dividend"


LINK_KIND_LABELS = {
    LinkKind.EMPLOYMENT: gettext_noop("务工就业"),
    LinkKind.PRODUCE_PURCHASE: gettext_noop("收购农产品"),
    LinkKind.DIVIDEND: gettext_noop("入股分红"),
}


class PaymentKind(StrEnum):
    WAGE = "wage"
    PRODUCE = "produce"
    DIVIDEND = "dividend"


PAYMENT_KIND_LABELS = {
    PaymentKind.WAGE: gettext_noop("工资"),
    PaymentKind.PRODUCE: gettext_noop("农产品收购款"),
    PaymentKind.DIVIDEND: gettext_noop("分红"),
}
# Which link a payment needs, and which national income item it becomes in the household's statement:
# wages are local wage income, produce sold to the company is the household's own crop business,
# dividends are asset income (资产收益分红).
PAYMENT_LINK = {
    PaymentKind.WAGE: LinkKind.EMPLOYMENT,
    PaymentKind.PRODUCE: LinkKind.PRODUCE_PURCHASE,
    PaymentKind.DIVIDEND: LinkKind.DIVIDEND,
}
PAYMENT_INCOME_ITEM = {
    PaymentKind.WAGE: "wage.local",
    PaymentKind.PRODUCE: "business.crops",
    PaymentKind.DIVIDEND: "property.dividend",
}


class BuyerKind(StrEnum):
    BUDGET_UNIT = "budget_unit"
    CANTEEN = "canteen"
    UNION = "union"


BUYER_KIND_LABELS = {
    BuyerKind.BUDGET_UNIT: gettext_noop("预算单位"),
    BuyerKind.CANTEEN: gettext_noop("食堂"),
    BuyerKind.UNION: gettext_noop("工会"),
}


class ParamKey(StrEnum):
    """Parameters configured per area with effective dates (MarketParameter rows)."""

    PROCUREMENT_SHARE = "procurement_share"  # share of canteen purchases reserved for support products
    CERT_VALIDITY_MONTHS = "cert_validity_months"  # how long a certification stays valid


PARAM_LABELS = {
    ParamKey.PROCUREMENT_SHARE: gettext_noop("预留采购比例"),
    ParamKey.CERT_VALIDITY_MONTHS: gettext_noop("认定有效期(月)"),
}


class Sector(StrEnum):
    """The bureau that does the sector review of a certification (行业复审), named at the township review."""

    AGRICULTURE = "agriculture"  # primary and processed food
    FORESTRY = "forestry"  # 林下经济: nuts, pepper, mushrooms
    CULTURE_TOURISM = "culture_tourism"  # handicrafts, rural tourism, intangible heritage
    INDUSTRY = "industry"  # other processed goods


SECTOR_LABELS = {
    Sector.AGRICULTURE: gettext_noop("农业农村"),
    Sector.FORESTRY: gettext_noop("林业和草原"),
    Sector.CULTURE_TOURISM: gettext_noop("文化和旅游"),
    Sector.INDUSTRY: gettext_noop("工业和信息化"),
}
