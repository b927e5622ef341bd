"""Coded values of casework (labels are what users see; codes are what is stored)."""

from __future__ import annotations

from bangfu.core.domain.text import gettext_noop as _

# Where a case comes from (domain brief §1.4: 5 channels plus the escalated screening warning).
SOURCES: dict[str, str] = {
    "self_report": _("农户自主申报"),
    "grid": _("网格员排查"),
    "warning": _("部门筛查预警"),
    "supervision": _("监督渠道反馈"),
    "hotline": _("热线(12317)"),
    "screening": _("平台监测分析"),
}

# The 14 national measure categories (domain brief §1.7), in the order of the data schema.
MEASURE_CATEGORIES: dict[str, str] = {
    "industry": _("产业帮扶"),
    "employment": _("就业帮扶"),
    "finance": _("金融帮扶"),
    "welfare_post": _("公益岗位帮扶"),
    "health": _("健康帮扶"),
    "compulsory_education": _("义务教育保障"),
    "other_education": _("其他教育帮扶"),
    "comprehensive_security": _("综合保障"),
    "housing": _("住房安全保障"),
    "drinking_water": _("饮水安全保障"),
    "social_help": _("社会帮扶"),
    "relocation": _("搬迁"),
    "living_conditions": _("生产生活条件改善"),
    "infrastructure": _("基础设施建设"),
}

MEASURE_STATUS: dict[str, str] = {
    "planned": _("计划中"),
    "in_progress": _("实施中"),
    "done": _("已落实"),
    "cancelled": _("已取消"),
}

# What the information comparison (信息比对) asks the departments about, one result each.
COMPARISON_ITEMS: dict[str, str] = {
    "vehicle": _("车辆"),
    "property": _("房产"),
    "business": _("工商登记"),
    "payroll": _("财政供养"),
}

# Risk types recorded on a monitored household (at most five). The national code table 100A27 is
# not public, so the stored value is the label itself.
RISK_CODES: list[str] = [
    _("因病"),
    _("因残"),
    _("因学"),
    _("因灾"),
    _("因意外事故"),
    _("缺劳动力"),
    _("缺技术"),
    _("缺资金"),
    _("产业项目失败"),
    _("务工就业不稳"),
    _("住房出现安全问题"),
    _("饮水安全问题"),
    _("家庭刚性支出较大"),
    _("其他"),
]
MAX_RISK_CODES = 5

MONITORING_TYPES: list[str] = [_("脱贫不稳定户"), _("边缘易致贫户"), _("突发严重困难户")]

HARDSHIP_TYPES: list[str] = [
    _("疾病"),
    _("残疾"),
    _("上学费用"),
    _("自然灾害"),
    _("意外事故"),
    _("失业或收入骤减"),
    _("住房安全"),
    _("饮水安全"),
    _("其他"),
]

# What a grid worker checks on every visit (one tap each).
VISIT_CHECKS: dict[str, str] = {
    "income_change": _("收入变化"),
    "illness": _("疾病"),
    "schooling": _("上学"),
    "disaster": _("灾害"),
    "housing": _("住房"),
    "water": _("饮水"),
    "employment": _("就业"),
}
VISIT_MODES: dict[str, str] = {"in_person": _("入户"), "phone": _("电话")}

# Household categories that visit obligations are configured for.
VISIT_CATEGORIES: dict[str, str] = {
    "monitored": _("监测户"),
    "ordinary": _("一般户"),
    "absent": _("长期外出户"),
}
VISIT_PERIODS: dict[str, str] = {"month": _("每月"), "quarter": _("每季度")}
