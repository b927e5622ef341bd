"""Coded values of the national monitoring data items (labels are what users see and type)."""

from __future__ import annotations

from bangfu.core.domain.text import gettext_noop as _  # marks the labels for the catalogue; returns them as they are

RELATION = [
    _("户主"),
    _("配偶"),
    _("之子"),
    _("之女"),
    _("之儿媳"),
    _("之女婿"),
    _("之孙子"),
    _("之孙女"),
    _("之父"),
    _("之母"),
    _("兄弟姐妹"),
    _("其他"),
]
ETHNICITY = [
    _("汉族"),
    _("彝族"),
    _("藏族"),
    _("回族"),
    _("蒙古族"),
    _("满族"),
    _("壮族"),
    _("苗族"),
    _("土家族"),
    _("羌族"),
    _("朝鲜族"),
    _("其他民族"),
]
EDUCATION = [
    _("学龄前儿童"),
    _("文盲或半文盲"),
    _("小学"),
    _("初中"),
    _("高中"),
    _("中专(中职)"),
    _("大专(高职)"),
    _("本科及以上"),
]
IN_SCHOOL = [
    _("非在校生"),
    _("学前教育"),
    _("小学"),
    _("七年级"),
    _("八年级"),
    _("九年级"),
    _("普通高中"),
    _("中职"),
    _("高职"),
    _("大专"),
    _("本科"),
    _("研究生"),
]
COMPULSORY_STAGES = {_("小学"), _("七年级"), _("八年级"), _("九年级")}
HEALTH = [_("健康"), _("长期慢性病"), _("患有大病"), _("残疾")]
SERIOUS_HEALTH = {_("患有大病"), _("残疾")}
DISABILITY_GRADE = ["", _("一级"), _("二级"), _("三级"), _("四级")]
LABOUR = [_("普通劳动力"), _("技能劳动力"), _("弱劳动力或半劳动力"), _("丧失劳动力"), _("无劳动力")]
HAS_LABOUR = {_("普通劳动力"), _("技能劳动力"), _("弱劳动力或半劳动力")}
EMPLOYMENT = [_("未就业"), _("务工"), _("务农"), _("公益岗位"), _("灵活就业"), _("自主创业"), _("在校生"), _("其他")]
EMPLOYED = {_("务工"), _("公益岗位"), _("灵活就业"), _("自主创业")}
WORK_PLACE = ["", _("乡镇内"), _("县内乡外"), _("省内县外"), _("省外"), _("境外")]
MEDICAL_INSURANCE = [_("城乡居民基本医疗保险"), _("职工基本医疗保险"), _("未参保")]
MONITORING_TYPE = ["", _("脱贫不稳定户"), _("边缘易致贫户"), _("突发严重困难户")]
HOUSEHOLD_STATUS = [_("正常"), _("已注销")]
# 安置方式 of a resettlement site (code → label): in a town or city, at a market town, at a central village.
SITE_KINDS = {"urban": _("城镇安置"), "town": _("集镇安置"), "village": _("中心村安置")}

# Income items: (code, category, label). Category drives the national totals.
INCOME_ITEMS: list[tuple[str, str, str]] = [
    ("wage.migrant", "wage", _("务工收入")),
    ("wage.local", "wage", _("本地务工收入")),
    ("wage.welfare_post", "wage", _("公益岗位收入")),
    ("business.crops", "business", _("种植业收入")),
    ("business.livestock", "business", _("养殖业收入")),
    ("business.other", "business", _("其他生产经营收入")),
    ("cost.business", "cost", _("生产经营性支出")),
    ("property.dividend", "property", _("资产收益分红")),
    ("property.land_rent", "property", _("土地流转收入")),
    ("property.other", "property", _("其他财产性收入")),
    ("transfer.dibao", "transfer", _("低保金")),
    ("transfer.tekun", "transfer", _("特困供养金")),
    ("transfer.pension", "transfer", _("养老金")),
    ("transfer.eco_compensation", "transfer", _("生态补偿金")),
    ("transfer.insurance_claim", "transfer", _("防贫保险理赔")),
    ("transfer.education_aid", "transfer", _("教育资助")),
    ("transfer.other", "transfer", _("其他转移性收入")),
    ("expense.out_of_pocket", "expense", _("合规自付支出")),
]
ITEM_CATEGORY = {code: cat for code, cat, _ in INCOME_ITEMS}
ITEM_LABEL = {code: label for code, _, label in INCOME_ITEMS}
# Where an income line came from (IncomeItem.source → label): typed on the household page, or written
# by the module that paid it.
INCOME_SOURCES = {
    "manual": _("手工登记"),
    "import": _("Excel导入"),
    "employment": _("就业帮扶"),
    "insurance": _("防贫保险"),
    "market": _("消费帮扶"),
    "demo": _("演示数据"),
}
