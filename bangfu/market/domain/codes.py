"""Coded values of the market module: enterprise kinds, units, sales channels, links, payments, sectors."""

from __future__ import annotations

from enum import StrEnum


class EnterpriseKind(StrEnum):
    COMPANY = "company"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"
    WORKSHOP = "workshop"


ENTERPRISE_KIND_LABELS = {
    EnterpriseKind.COMPANY: "企业",
    EnterpriseKind.COOPERATIVE: "农民专业合作社",
    EnterpriseKind.FAMILY_FARM: "家庭农场",
    EnterpriseKind.WORKSHOP: "帮扶车间",
}


class Unit(StrEnum):
    JIN = "jin"
    KG = "kg"
    PIECE = "piece"
    BOX = "box"


UNIT_LABELS = {Unit.JIN: "斤", Unit.KG: "公斤", Unit.PIECE: "件", Unit.BOX: "箱"}


class Channel(StrEnum):
    COUNTER = "counter"
    FAIR = "fair"
    ONLINE_SHOP = "online_shop"
    LIVESTREAM = "livestream"
    INSTITUTIONAL = "institutional"


CHANNEL_LABELS = {
    Channel.COUNTER: "专柜门店",
    Channel.FAIR: "展销会",
    Channel.ONLINE_SHOP: "网店",
    Channel.LIVESTREAM: "直播带货",
    Channel.INSTITUTIONAL: "机关单位采购",
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
    LinkKind.EMPLOYMENT: "务工就业",
    LinkKind.PRODUCE_PURCHASE: "收购农产品",
    LinkKind.DIVIDEND: "入股分红",
}


class PaymentKind(StrEnum):
    WAGE = "wage"
    PRODUCE = "produce"
    DIVIDEND = "dividend"


PAYMENT_KIND_LABELS = {
    PaymentKind.WAGE: "工资",
    PaymentKind.PRODUCE: "农产品收购款",
    PaymentKind.DIVIDEND: "分红",
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


BUYER_KIND_LABELS = {BuyerKind.BUDGET_UNIT: "预算单位", BuyerKind.CANTEEN: "食堂", BuyerKind.UNION: "工会"}


class ParamKey(StrEnum):
    """Parameters configured per area with effective dates (MarketParameter rows)."""

    PROCUREMENT_SHARE = "procurement_share"  # share of canteen purchases reserved for support products
    CERT_VALIDITY_MONTHS = "cert_validity_months"  # how long a certification stays valid


PARAM_LABELS = {
    ParamKey.PROCUREMENT_SHARE: "预留采购比例",
    ParamKey.CERT_VALIDITY_MONTHS: "认定有效期(月)",
}


class Sector(StrEnum):
    """The bureau that does the sector review of a certification (行业复审), named at the township review."""

    AGRICULTURE = "agriculture"  # primary and processed food
    FORESTRY = "forestry"  # 林下经济: nuts, pepper, mushrooms
    CULTURE_TOURISM = "culture_tourism"  # handicrafts, rural tourism, intangible heritage
    INDUSTRY = "industry"  # other processed goods


SECTOR_LABELS = {
    Sector.AGRICULTURE: "农业农村",
    Sector.FORESTRY: "林业和草原",
    Sector.CULTURE_TOURISM: "文化和旅游",
    Sector.INDUSTRY: "工业和信息化",
}
