"""Coded values of insurance. Causes are a starting list: a county may add its own (any code).

Codes are stored and sent by the API; people read the labels, marked here with `gettext_noop` and
translated where they are shown (docs/i18n.md). Household groups are themselves Chinese words stored
on claims and schemes (the national terms), so they are their own labels.
"""

from __future__ import annotations

from bangfu.core.domain.text import gettext_noop as _

CAUSES = {
    "illness": _("因病"),
    "schooling": _("因学"),
    "disaster": _("因灾"),
    "accident": _("因意外"),
    "housing": _("因住房"),
    "industry": _("因产业"),
    "employment": _("因就业"),
}

AID_KINDS = {
    "medical_insurance": _("医保报销(基本医保/大病保险/医疗救助)"),
    "grant": _("助学金/救助金"),
    "student_loan": _("助学贷款"),
    "civil_affairs": _("民政临时救助"),
    "commercial_insurance": _("商业保险赔款"),
    "other": _("其他资助"),
}

CHANNELS = {
    "warning": _("部门预警"),
    "case": _("监测帮扶案件"),
    "grid": _("网格员上报"),
    "insurer": _("保险公司录入"),
    "county": _("县防贫办录入"),
    "household": _("农户申请"),
}

BASES = {
    "groups": _("全部监测对象和脱贫户(按人群)"),
    "share": _("农村人口的一定比例"),
    "fixed": _("固定人数"),
}

GROUPS = [_("脱贫户"), _("脱贫不稳定户"), _("边缘易致贫户"), _("突发严重困难户"), _("一般农户")]

REJECT_CODES = {
    "income_above_line": _("人均收入高于防贫线"),
    "expense_below_threshold": _("支出未达到赔付条件"),
    "group_not_insured": _("不属于承保人群"),
    "documents_missing": _("材料不全且逾期未补"),
    "duplicate": _("重复报案"),
    "objection_upheld": _("公示异议成立"),
    "other": _("其他原因"),
}

DOCUMENT_KINDS = {
    "receipt": _("费用票据"),
    "admission": _("录取通知书/入院证明"),
    "photo": _("现场照片"),
    "survey_form": _("勘查表"),
    "notice": _("公示材料"),
    "other": _("其他"),
}

LEDGER_KINDS = {
    "carry_in": _("上年结转"),
    "premium": _("保费收入"),
    "topup": _("财政补足"),
    "payout": _("赔款支出"),
    "fee": _("保险公司服务费"),
    "carry_out": _("结转下年"),
}


def cause_label(code: str) -> str:
    return CAUSES.get(code, code)


def household_group(monitoring_type: str, poverty_exited: bool) -> str:
    """The group whose thresholds apply: a monitoring type wins over the exited-poverty flag."""
    if monitoring_type:
        return monitoring_type
    return _("脱贫户") if poverty_exited else _("一般农户")


DOCUMENT_KINDS_EN = {
    "receipt": "receipts",
    "admission": "admission notice / hospital admission",
    "photo": "photos",
    "survey_form": "survey form",
    "notice": "publicity record",
    "other": "other",
}

# The steps a scheme may require documents before (DocumentRule), in workflow order.
DOCUMENT_STEPS = {"survey": _("入户勘查"), "approve": _("县级审批"), "pay": _("赔款支付")}
