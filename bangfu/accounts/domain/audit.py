"""Chinese names for what the audit log records: actions (service names) and object types.

Every service writes `core.AuditEvent(action="<entity>_<verb>", object_type="<app>.<model>")`; the
audit page, API and export show these labels, never the codes. Step actions of the procedures
(`case_<event>`, `claim_<event>`, …) take their labels from the apps' own transition tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bangfu.accounts.domain.roles import ROLE_LABELS
from bangfu.casework.domain import procedure
from bangfu.casework.domain.codes import MEASURE_STATUS, MONITORING_TYPES, RISK_CODES, VISIT_CHECKS, VISIT_MODES
from bangfu.core.domain.text import gettext_noop
from bangfu.core.domain.workflow import Table
from bangfu.employment.domain import transitions
from bangfu.employment.domain.dividends import BASIS_LABELS
from bangfu.employment.domain.wages import DAY_COUNT_LABELS
from bangfu.insurance.domain import workflow
from bangfu.insurance.domain.codes import CAUSES, LEDGER_KINDS, REJECT_CODES
from bangfu.market.domain import certification, orders
from bangfu.market.domain.codes import (
    CHANNEL_LABELS,
    ENTERPRISE_KIND_LABELS,
    LINK_KIND_LABELS,
    PARAM_LABELS,
    PAYMENT_KIND_LABELS,
    SECTOR_LABELS,
)
from bangfu.monitoring.domain import lifecycle
from bangfu.registry.domain.codes import ITEM_LABEL
from bangfu.rules.domain.defaults import DEFAULT_RULES

ACTION_LABELS: dict[str, str] = {
    # areas, accounts, demo
    "area_create": gettext_noop("新建区划"),
    "area_import": gettext_noop("导入区划"),
    "grid_create": gettext_noop("新建网格"),
    "grid_assign_worker": gettext_noop("指定网格员"),
    "grid_place_households": gettext_noop("农户划入网格"),
    "user_create": gettext_noop("新建用户"),
    "user_bulk_create": gettext_noop("批量新建用户"),
    "first_admin_create": gettext_noop("首次设置：新建第一位管理员"),
    "membership_grant": gettext_noop("授予角色"),
    "membership_end": gettext_noop("结束角色"),
    "user_update": gettext_noop("修改用户信息"),
    "user_deactivate": gettext_noop("停用账号"),
    "user_reactivate": gettext_noop("恢复账号"),
    "user_password_reset": gettext_noop("重置密码"),
    "account_policy_set": gettext_noop("设置账号规则"),
    "token_create": gettext_noop("创建接口令牌"),
    "token_revoke": gettext_noop("吊销接口令牌"),
    "lockout_lift": gettext_noop("解除登录锁定"),
    "password_change": gettext_noop("修改本人密码"),
    "delegation_grant": gettext_noop("授权例外（职责分离）"),
    "delegation_revoke": gettext_noop("撤销授权例外"),
    "demo_load": gettext_noop("加载演示数据"),
    # registry
    "household_create": gettext_noop("新建农户"),
    "household_update": gettext_noop("修改农户信息"),
    "household_import": gettext_noop("Excel导入农户"),
    "registration_refused": gettext_noop("拒绝重复登记"),
    "household_bulk_create": gettext_noop("批量建档"),
    "household_set_monitoring": gettext_noop("设置监测状态"),
    "household_set_relocation": gettext_noop("设置搬迁安置"),
    "household_move_site": gettext_noop("搬迁户调整安置点"),
    "member_add": gettext_noop("新增家庭成员"),
    "member_update": gettext_noop("修改家庭成员"),
    "member_remove": gettext_noop("移除家庭成员"),
    "income_record": gettext_noop("记录收入"),
    "income_item_update": gettext_noop("修改收入项"),
    "income_item_delete": gettext_noop("删除收入项"),
    "guarantee_check_record": gettext_noop("三保障核查"),
    "site_create": gettext_noop("新建安置点"),
    "site_update": gettext_noop("修改安置点"),
    "site_place_household": gettext_noop("安置农户到安置点"),
    # rules
    "ruleset_create_draft": gettext_noop("新建规则草稿"),
    "ruleset_update_draft": gettext_noop("修改规则草稿"),
    "ruleset_delete_draft": gettext_noop("删除规则草稿"),
    "ruleset_publish": gettext_noop("发布规则"),
    "monitoring_line_set": gettext_noop("设定监测线"),
    # monitoring
    "feed_ingest": gettext_noop("接收部门数据"),
    "warning_open": gettext_noop("生成预警"),
    # casework
    "params_set": gettext_noop("设定监测程序参数"),
    "obligation_set": gettext_noop("设定走访要求"),
    "calendar_day_set": gettext_noop("设定工作日历"),
    "calendar_day_delete": gettext_noop("删除工作日历日"),
    "calendar_load_national": gettext_noop("载入国家法定节假日"),
    "visit_log": gettext_noop("记录走访"),
    "absence_mark": gettext_noop("标记外出户"),
    "absence_clear": gettext_noop("取消外出标记"),
    "measure_set_status": gettext_noop("更新帮扶措施状态"),
    "self_report_attempts_purge": gettext_noop("清理自主申报记录"),
    "case_open": gettext_noop("立案"),
    "case_report": gettext_noop("再次报告风险"),
    "case_plan": gettext_noop("制定帮扶措施"),
    # insurance
    "scheme_create": gettext_noop("新建防贫保方案"),
    "scheme_update": gettext_noop("修改防贫保方案"),
    "terms_set": gettext_noop("设定理赔条款"),
    "document_rule_set": gettext_noop("设定理赔材料要求"),
    "premium_record": gettext_noop("记录保费"),
    "fund_settle": gettext_noop("资金池结算"),
    "claim_document_add": gettext_noop("上传理赔材料"),
    # employment
    "workshop_create": gettext_noop("新建帮扶车间"),
    "workshop_update": gettext_noop("修改帮扶车间"),
    "workshop_revenue_set": gettext_noop("登记车间营收"),
    "wage_rule_set": gettext_noop("设定工资规则"),
    "contract_create": gettext_noop("签订劳动合同"),
    "contract_end": gettext_noop("终止劳动合同"),
    "payslip_record": gettext_noop("记录工资"),
    "payslip_correct": gettext_noop("更正工资单"),
    "policy_set": gettext_noop("设定就业帮扶参数"),
    "course_create": gettext_noop("新建培训班"),
    "trainee_add": gettext_noop("登记培训学员"),
    "welfare_post_create": gettext_noop("设立公益岗位"),
    "welfare_post_end": gettext_noop("终止公益岗位"),
    "welfare_post_months": gettext_noop("登记公益岗位出勤"),
    "asset_create": gettext_noop("登记集体资产"),
    "asset_income_distribute": gettext_noop("分配资产收益"),
    "dividend_rule_set": gettext_noop("设定分红规则"),
    "funding_add": gettext_noop("登记资金来源"),
    # market
    "enterprise_create": gettext_noop("新建经营主体"),
    "enterprise_update": gettext_noop("修改经营主体"),
    "enterprise_year_set": gettext_noop("登记年度经营数据"),
    "counterpart_link_add": gettext_noop("新增对口帮扶关系"),
    "household_link_create": gettext_noop("登记带动农户"),
    "product_create": gettext_noop("新建产品"),
    "product_photo_set": gettext_noop("上传产品照片"),
    "production_record": gettext_noop("登记产量"),
    "price_set": gettext_noop("设定价格"),
    "sales_event_create": gettext_noop("新建消费帮扶活动"),
    "sale_record": gettext_noop("记录销售"),
    "payment_record": gettext_noop("记录带农收益"),
    "payment_cancel": gettext_noop("撤销带农收益"),
    "parameter_set": gettext_noop("设定消费帮扶参数"),
    "buyer_create": gettext_noop("新建采购单位"),
    "target_set": gettext_noop("设定采购目标"),
    "order_place": gettext_noop("下单"),
    "certification_apply": gettext_noop("申请认定"),
    "certification_resubmit": gettext_noop("重新提交认定申请"),
    # analytics
    "indicators_refresh": gettext_noop("刷新统计指标"),
}

# Step actions (`<family>_<event>`) and their states are named by the workflows' own tables
# (core.domain.workflow), the same words as the pages and the timelines.
_TABLES: dict[str, Table[Any, Any]] = {
    "case": procedure.TABLE,
    "claim": workflow.TABLE,
    "workshop": transitions.TABLE,
    "certification": certification.TABLE,
    "order": orders.TABLE,
    "warning": lifecycle.TABLE,
}
_FAMILIES: dict[str, dict[str, str]] = {family: table.events for family, table in _TABLES.items()}
_FAMILY_OTHER = {
    "case": gettext_noop("监测案件：其他步骤"),
    "claim": gettext_noop("防贫保理赔：其他步骤"),
    "workshop": gettext_noop("帮扶车间：其他步骤"),
    "certification": gettext_noop("消费帮扶产品认定：其他步骤"),
    "order": gettext_noop("采购订单：其他步骤"),
    "warning": gettext_noop("预警：其他步骤"),
}

OBJECT_LABELS: dict[str, str] = {
    "accounts.user": gettext_noop("用户"),
    "accounts.membership": gettext_noop("角色授权"),
    "accounts.delegation": gettext_noop("授权例外"),
    "accounts.accountpolicy": gettext_noop("账号规则"),
    "areas.area": gettext_noop("区划"),
    "areas.grid": gettext_noop("网格"),
    "registry.household": gettext_noop("农户"),
    "registry.member": gettext_noop("家庭成员"),
    "registry.incomestatement": gettext_noop("年度收入"),
    "registry.incomeitem": gettext_noop("收入项"),
    "registry.guaranteecheck": gettext_noop("三保障核查"),
    "registry.resettlementsite": gettext_noop("安置点"),
    "registry.importbatch": gettext_noop("导入批次"),
    "ImportBatch": gettext_noop("导入批次"),
    "rules.ruleset": gettext_noop("规则"),
    "rules.monitoringline": gettext_noop("监测线"),
    "monitoring.feedbatch": gettext_noop("部门数据批次"),
    "monitoring.warning": gettext_noop("预警"),
    "casework.case": gettext_noop("监测案件"),
    "casework.measure": gettext_noop("帮扶措施"),
    "casework.visit": gettext_noop("走访"),
    "casework.caseparameters": gettext_noop("监测程序参数"),
    "casework.visitobligation": gettext_noop("走访要求"),
    "casework.calendarday": gettext_noop("工作日历"),
    "casework.absence": gettext_noop("外出登记"),
    "insurance.scheme": gettext_noop("防贫保方案"),
    "insurance.causeterms": gettext_noop("理赔条款"),
    "insurance.claim": gettext_noop("理赔"),
    "insurance.claimdocument": gettext_noop("理赔材料"),
    "insurance.documentrule": gettext_noop("理赔材料要求"),
    "insurance.ledgerentry": gettext_noop("资金池记账"),
    "employment.workshop": gettext_noop("帮扶车间"),
    "employment.workshoprevenue": gettext_noop("车间营收"),
    "employment.wagerule": gettext_noop("工资规则"),
    "employment.contract": gettext_noop("劳动合同"),
    "employment.payslip": gettext_noop("工资单"),
    "employment.employmentpolicy": gettext_noop("就业帮扶参数"),
    "employment.trainingcourse": gettext_noop("培训班"),
    "employment.trainingrecord": gettext_noop("培训学员"),
    "employment.welfarepost": gettext_noop("公益岗位"),
    "employment.collectiveasset": gettext_noop("集体资产"),
    "employment.assetincome": gettext_noop("资产收益"),
    "employment.dividendrule": gettext_noop("分红规则"),
    "employment.fundingsource": gettext_noop("资金来源"),
    "market.enterprise": gettext_noop("经营主体"),
    "market.enterpriseyear": gettext_noop("年度经营数据"),
    "market.counterpartlink": gettext_noop("对口帮扶关系"),
    "market.householdlink": gettext_noop("带动农户"),
    "market.product": gettext_noop("产品"),
    "market.productphoto": gettext_noop("产品照片"),
    "market.productionrecord": gettext_noop("产量"),
    "market.pricerecord": gettext_noop("价格"),
    "market.salesevent": gettext_noop("消费帮扶活动"),
    "market.salerecord": gettext_noop("销售"),
    "market.payment": gettext_noop("带农收益"),
    "market.marketparameter": gettext_noop("消费帮扶参数"),
    "market.buyer": gettext_noop("采购单位"),
    "market.procurementtarget": gettext_noop("采购目标"),
    "market.order": gettext_noop("采购订单"),
    "market.certification": gettext_noop("产品认定"),
    "analytics.indicatorrun": gettext_noop("指标刷新"),
}


def action_label(action: str) -> str:
    """The name of an audited action (a msgid: translate it where it is shown); never the bare code."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    family, _, verb = action.partition("_")
    if family in _FAMILIES:
        return _FAMILIES[family].get(verb) or _FAMILY_OTHER[family]
    return gettext_noop("其他操作")


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, gettext_noop("其他记录"))


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every known action, for the filter's drop-down, in label order."""
    codes = dict(ACTION_LABELS)
    for family, verbs in _FAMILIES.items():
        for verb, label in verbs.items():
            codes.setdefault(f"{family}_{verb}", label)
    return sorted(codes.items(), key=lambda kv: (kv[1], kv[0]))


def object_choices() -> list[tuple[str, str]]:
    return sorted(((k, v) for k, v in OBJECT_LABELS.items() if "." in k), key=lambda kv: (kv[1], kv[0]))


_STATES: dict[str, dict[str, str]] = {family: table.states for family, table in _TABLES.items()} | {
    "measure": dict(MEASURE_STATUS)
}

DATA_LABELS = {
    "amount": gettext_noop("金额"),
    "total": gettext_noop("合计"),
    "year": gettext_noop("年度"),
    "item": gettext_noop("收入项目"),
    "source": gettext_noop("来源"),
    "rule": gettext_noop("规则"),
    "households": gettext_noop("户数"),
    "members": gettext_noop("人数"),
    "users": gettext_noop("用户数"),
    "rows": gettext_noop("行数"),
    "kind": gettext_noop("类别"),
    "role": gettext_noop("角色"),
    "fields": gettext_noop("修改的字段"),
    "payout": gettext_noop("赔付金额"),
    "persons": gettext_noop("人数"),
    "month": gettext_noop("月份"),
    "gross": gettext_noop("应发工资"),
    "version": gettext_noop("版本"),
    "effective_from": gettext_noop("生效日期"),
    "from_date": gettext_noop("起始日期"),
    "reference": gettext_noop("凭证号"),
    "days": gettext_noop("天数"),
    "site": gettext_noop("安置点"),
    "scheme": gettext_noop("方案"),
    "cause": gettext_noop("原因"),
    "price": gettext_noop("价格"),
    "quantity": gettext_noop("数量"),
    "channel": gettext_noop("渠道"),
    "share": gettext_noop("比例"),
    "basis": gettext_noop("分配方式"),
    "household": gettext_noop("农户"),
    "enterprise": gettext_noop("经营主体"),
    "product": gettext_noop("产品"),
    "sector": gettext_noop("行业"),
    "type": gettext_noop("类型"),
    "eliminated": gettext_noop("风险消除日期"),
    "mode": gettext_noop("方式"),
    "risk": gettext_noop("报告风险"),
    "checks": gettext_noop("核查事项"),
    "user": gettext_noop("用户"),
    "end": gettext_noop("结束日期"),
    "grids": gettext_noop("交接的网格"),
    "township_administers": gettext_noop("乡镇可管理账号"),
    "password_min_length": gettext_noop("密码最短长度"),
    "password_block_common": gettext_noop("禁止常见密码"),
    "code": gettext_noop("驳回原因"),
    "key": gettext_noop("参数"),
    "probation_day_count": gettext_noop("试用期跨月计薪天数口径"),
    "per_capita_income": gettext_noop("核实人均纯收入"),
    "base": gettext_noop("基数"),
    "collective": gettext_noop("集体留存"),
    "output_value": gettext_noop("产值"),
    "profit": gettext_noop("利润"),
    "from_site": gettext_noop("原安置点"),
    "value": gettext_noop("参数值"),
    "note": gettext_noop("依据"),
    "new": gettext_noop("新建"),
    "superuser": gettext_noop("超级管理员"),
    "added": gettext_noop("新增条数"),
    "terms": gettext_noop("条款数"),
    "min_insurance_per_worker_month": gettext_noop("每人每月最低社保（元）"),
    "min_poor_workers": gettext_noop("最少吸纳脱贫劳动力（人）"),
    "upgrade_min_annual_revenue": gettext_noop("升级条件：年营收（元）"),
    "upgrade_min_average_annual_pay": gettext_noop("升级条件：人均年工资（元）"),
    "upgrade_min_contract_months": gettext_noop("升级条件：合同期限（月）"),
    "upgrade_min_long_contract_workers": gettext_noop("升级条件：长期合同人数"),
    "upgrade_min_months_running": gettext_noop("升级条件：运营月数"),
    "welfare_max_age": gettext_noop("公益岗位年龄上限"),
    "welfare_posts_per_household": gettext_noop("每户公益岗位数"),
    "working_age_max": gettext_noop("劳动年龄上限"),
    "working_age_min": gettext_noop("劳动年龄下限"),
    "probation_end_day_included": gettext_noop("试用期届满当日仍按试用期计薪"),
    "line": gettext_noop("监测线"),
    "params": gettext_noop("参数"),
    "state": gettext_noop("状态"),
    "status": gettext_noop("状态"),
    "reason": gettext_noop("理由"),
}


_SOURCES = {
    "employment": gettext_noop("就业帮扶"),
    "market": gettext_noop("消费帮扶"),
    "insurance": gettext_noop("防贫保"),
    "demo": gettext_noop("演示数据"),
    "registry": gettext_noop("农户登记"),
    "import": gettext_noop("Excel导入"),
}
_RULES = {r["code"]: (r["zh"], r["en"]) for r in DEFAULT_RULES}  # the default rules' names, both languages

# Stored codes in `data` and their labels, per key ("kind" is written by several apps: their labels
# do not overlap).
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "item": ITEM_LABEL,
    "role": {r.value: label for r, label in ROLE_LABELS.items()},
    "mode": VISIT_MODES,
    "checks": VISIT_CHECKS,
    "cause": CAUSES,
    "code": REJECT_CODES,
    "channel": {str(k): v for k, v in CHANNEL_LABELS.items()},
    "sector": {str(k): v for k, v in SECTOR_LABELS.items()},
    "basis": {str(k): v for k, v in BASIS_LABELS.items()},
    "key": {str(k): v for k, v in PARAM_LABELS.items()},
    "probation_day_count": {str(k): v for k, v in DAY_COUNT_LABELS.items()},
    "source": _SOURCES,
    # stored as their Chinese labels (casework.domain.codes): translated as they are
    "risk_codes": {c: c for c in RISK_CODES},
    "monitoring_type": {t: t for t in MONITORING_TYPES},
    "kind": {
        str(k): v
        for labels in (LEDGER_KINDS, PAYMENT_KIND_LABELS, LINK_KIND_LABELS, ENTERPRISE_KIND_LABELS)
        for k, v in labels.items()
    }
    | {
        "medical": gettext_noop("医疗费用数据"),
        "school": gettext_noop("教育费用数据"),
        "disaster": gettext_noop("灾害损失数据"),
        "east_west": gettext_noop("东西部协作"),
        "enterprise": gettext_noop("经营主体"),
    },
}
_YES, _NO, _NONE, _NEW = gettext_noop("是"), gettext_noop("否"), "—", gettext_noop("（新建）")


def _same(text: str) -> str:
    return text


def _chinese(zh: str, en: str) -> str:
    return zh


def _shown(key: str, value: Any, tr: Callable[[str], str], pick: Callable[[str, str], str]) -> str:
    """A value as a person reads it: the label of a stored code, yes/no, a list; never the code."""
    if key == "rule" and value in _RULES:
        return pick(*_RULES[value])
    if isinstance(value, str) and value in _VALUE_LABELS.get(key, {}):
        return tr(_VALUE_LABELS[key][value])
    if isinstance(value, bool) or value in ("True", "False"):
        return tr(_YES) if value in (True, "True") else tr(_NO)
    if isinstance(value, list):
        return tr(gettext_noop("、")).join(_shown(key, v, tr, pick) for v in value) or _NONE
    return _NONE if value in ("", None) else str(value)


def change_text(
    action: str, data: dict[str, Any], tr: Callable[[str], str] = _same, pick: Callable[[str, str], str] = _chinese
) -> str:
    """What changed: "before → after" of a step (state names, not codes), then the other values.

    `tr` translates a label (gettext where it is shown; Chinese by default), `pick` chooses between a
    value's own Chinese and English (a rule's name)."""
    data = dict(data or {})
    parts: list[str] = []
    if "from" in data and "to" in data:
        states = _STATES.get(action.partition("_")[0], {})
        before, after = data.pop("from"), data.pop("to")
        parts.append(
            tr(gettext_noop("{before} → {after}")).format(
                before=tr(states[before]) if before in states else (before or tr(_NEW)),
                after=tr(states[after]) if after in states else after,
            )
        )
    elif "from" in data:
        data["from_date"] = data.pop("from")
    item = tr(gettext_noop("{label}：{value}"))
    parts += [
        item.format(label=tr(DATA_LABELS.get(k, gettext_noop("其他"))), value=_shown(k, v, tr, pick))
        for k, v in data.items()
    ]
    return tr(gettext_noop("；")).join(parts)
