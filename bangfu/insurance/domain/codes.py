"""Coded values of insurance. Causes are a starting list: a county may add its own (any code)."""

from __future__ import annotations

CAUSES = {
    "illness": "因病",
    "schooling": "因学",
    "disaster": "因灾",
    "accident": "因意外",
    "housing": "因住房",
    "industry": "因产业",
    "employment": "因就业",
}

AID_KINDS = {
    "medical_insurance": "医保报销(基本医保/大病保险/医疗救助)",
    "grant": "助学金/救助金",
    "student_loan": "助学贷款",
    "civil_affairs": "民政临时救助",
    "commercial_insurance": "商业保险赔款",
    "other": "其他资助",
}

CHANNELS = {
    "warning": "部门预警",
    "case": "监测帮扶案件",
    "grid": "网格员上报",
    "insurer": "保险公司录入",
    "county": "县防贫办录入",
    "household": "农户申请",
}

BASES = {
    "groups": "全部监测对象和脱贫户(按人群)",
    "share": "农村人口的一定比例",
    "fixed": "固定人数",
}

GROUPS = ["脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "一般农户"]

REJECT_CODES = {
    "income_above_line": "人均收入高于防贫线",
    "expense_below_threshold": "支出未达到赔付条件",
    "group_not_insured": "不属于承保人群",
    "documents_missing": "材料不全且逾期未补",
    "duplicate": "重复报案",
    "objection_upheld": "公示异议成立",
    "other": "其他原因",
}

DOCUMENT_KINDS = {
    "receipt": "费用票据",
    "admission": "录取通知书/入院证明",
    "photo": "现场照片",
    "survey_form": "勘查表",
    "notice": "公示材料",
    "other": "其他",
}

LEDGER_KINDS = {
    "carry_in": "上年结转",
    "premium": "保费收入",
    "topup": "财政补足",
    "payout": "赔款支出",
    "fee": "保险公司服务费",
    "carry_out": "结转下年",
}


def cause_label(code: str) -> str:
    return CAUSES.get(code, code)


def household_group(monitoring_type: str, poverty_exited: bool) -> str:
    """The group whose thresholds apply: a monitoring type wins over the exited-poverty flag."""
    if monitoring_type:
        return monitoring_type
    return "脱贫户" if poverty_exited else "一般农户"


DOCUMENT_KINDS_EN = {
    "receipt": "receipts",
    "admission": "admission notice / hospital admission",
    "photo": "photos",
    "survey_form": "survey form",
    "notice": "publicity record",
    "other": "other",
}

# The steps a scheme may require documents before (DocumentRule), in workflow order.
DOCUMENT_STEPS = {"survey": "入户勘查", "approve": "县级审批", "pay": "赔款支付"}
