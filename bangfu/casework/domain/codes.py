"""Coded values of casework (labels are what users see; codes are what is stored)."""

from __future__ import annotations

# Where a case comes from (domain brief §1.4: 5 channels plus the escalated screening warning).
SOURCES: dict[str, str] = {
    "self_report": "农户自主申报",
    "grid": "网格员排查",
    "warning": "部门筛查预警",
    "supervision": "监督渠道反馈",
    "hotline": "热线(12317)",
    "screening": "平台监测分析",
}

# The 14 national measure categories (domain brief §1.7), in the order of the data schema.
MEASURE_CATEGORIES: dict[str, str] = {
    "industry": "产业帮扶",
    "employment": "就业帮扶",
    "finance": "金融帮扶",
    "welfare_post": "公益岗位帮扶",
    "health": "健康帮扶",
    "compulsory_education": "义务教育保障",
    "other_education": "其他教育帮扶",
    "comprehensive_security": "综合保障",
    "housing": "住房安全保障",
    "drinking_water": "饮水安全保障",
    "social_help": "社会帮扶",
    "relocation": "搬迁",
    "living_conditions": "生产生活条件改善",
    "infrastructure": "基础设施建设",
}

MEASURE_STATUS: dict[str, str] = {
    "planned": "计划中",
    "in_progress": "实施中",
    "done": "已落实",
    "cancelled": "已取消",
}

# Risk types recorded on a monitored household (at most five). The national code table 100A27 is
# not public, so the stored value is the label itself.
RISK_CODES: list[str] = [
    "因病",
    "因残",
    "因学",
    "因灾",
    "因意外事故",
    "缺劳动力",
    "缺技术",
    "缺资金",
    "产业项目失败",
    "务工就业不稳",
    "住房出现安全问题",
    "饮水安全问题",
    "家庭刚性支出较大",
    "其他",
]
MAX_RISK_CODES = 5

MONITORING_TYPES: list[str] = ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]

HARDSHIP_TYPES: list[str] = [
    "疾病",
    "残疾",
    "上学费用",
    "自然灾害",
    "意外事故",
    "失业或收入骤减",
    "住房安全",
    "饮水安全",
    "其他",
]

# What a grid worker checks on every visit (one tap each).
VISIT_CHECKS: dict[str, str] = {
    "income_change": "收入变化",
    "illness": "疾病",
    "schooling": "上学",
    "disaster": "灾害",
    "housing": "住房",
    "water": "饮水",
    "employment": "就业",
}
VISIT_MODES: dict[str, str] = {"in_person": "入户", "phone": "电话"}

# Household categories that visit obligations are configured for.
VISIT_CATEGORIES: dict[str, str] = {
    "monitored": "监测户",
    "ordinary": "一般户",
    "absent": "长期外出户",
}
VISIT_PERIODS: dict[str, str] = {"month": "每月", "quarter": "每季度"}
