"""Coded values of the national monitoring data items (labels are what users see and type)."""

from __future__ import annotations

RELATION = ["户主", "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之父", "之母", "兄弟姐妹", "其他"]
ETHNICITY = ["汉族", "彝族", "藏族", "回族", "蒙古族", "满族", "壮族", "苗族", "土家族", "羌族", "朝鲜族", "其他民族"]
EDUCATION = ["学龄前儿童", "文盲或半文盲", "小学", "初中", "高中", "中专(中职)", "大专(高职)", "本科及以上"]
IN_SCHOOL = [
    "非在校生",
    "学前教育",
    "小学",
    "七年级",
    "八年级",
    "九年级",
    "普通高中",
    "中职",
    "高职",
    "大专",
    "本科",
    "研究生",
]
COMPULSORY_STAGES = {"小学", "七年级", "八年级", "九年级"}
HEALTH = ["健康", "长期慢性病", "患有大病", "残疾"]
SERIOUS_HEALTH = {"患有大病", "残疾"}
DISABILITY_GRADE = ["", "一级", "二级", "三级", "四级"]
LABOUR = ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
HAS_LABOUR = {"普通劳动力", "技能劳动力", "弱劳动力或半劳动力"}
EMPLOYMENT = ["未就业", "务工", "务农", "公益岗位", "灵活就业", "自主创业", "在校生", "其他"]
EMPLOYED = {"务工", "公益岗位", "灵活就业", "自主创业"}
WORK_PLACE = ["", "乡镇内", "县内乡外", "省内县外", "省外", "境外"]
MEDICAL_INSURANCE = ["城乡居民基本医疗保险", "职工基本医疗保险", "未参保"]
MONITORING_TYPE = ["", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]
HOUSEHOLD_STATUS = ["正常", "已注销"]
# 安置方式 of a resettlement site (code → label): in a town or city, at a market town, at a central village.
SITE_KINDS = {"urban": "城镇安置", "town": "集镇安置", "village": "中心村安置"}

# Income items: (code, category, label). Category drives the national totals.
INCOME_ITEMS: list[tuple[str, str, str]] = [
    ("wage.migrant", "wage", "务工收入"),
    ("wage.local", "wage", "本地务工收入"),
    ("wage.welfare_post", "wage", "公益岗位收入"),
    ("business.crops", "business", "种植业收入"),
    ("business.livestock", "business", "养殖业收入"),
    ("business.other", "business", "其他生产经营收入"),
    ("cost.business", "cost", "生产经营性支出"),
    ("property.dividend", "property", "资产收益分红"),
    ("property.land_rent", "property", "土地流转收入"),
    ("property.other", "property", "其他财产性收入"),
    ("transfer.dibao", "transfer", "低保金"),
    ("transfer.tekun", "transfer", "特困供养金"),
    ("transfer.pension", "transfer", "养老金"),
    ("transfer.eco_compensation", "transfer", "生态补偿金"),
    ("transfer.insurance_claim", "transfer", "防贫保险理赔"),
    ("transfer.education_aid", "transfer", "教育资助"),
    ("transfer.other", "transfer", "其他转移性收入"),
    ("expense.out_of_pocket", "expense", "合规自付支出"),
]
ITEM_CATEGORY = {code: cat for code, cat, _ in INCOME_ITEMS}
ITEM_LABEL = {code: label for code, _, label in INCOME_ITEMS}
