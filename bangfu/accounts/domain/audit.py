"""Chinese names for what the audit log records: actions (service names) and object types.

Every service writes `core.AuditEvent(action="<entity>_<verb>", object_type="<app>.<model>")`; the
audit page, API and export show these labels, never the codes. Step actions of the procedures
(`case_<event>`, `claim_<event>`, …) take their labels from the apps' own transition tables.
"""

from __future__ import annotations

from typing import Any

from bangfu.accounts.domain.roles import ROLE_LABELS
from bangfu.casework.domain import procedure
from bangfu.casework.domain.codes import MEASURE_STATUS, VISIT_MODES
from bangfu.core.domain.workflow import Table
from bangfu.employment.domain import transitions
from bangfu.insurance.domain import workflow
from bangfu.market.domain import certification, orders
from bangfu.monitoring.domain import lifecycle
from bangfu.registry.domain.codes import ITEM_LABEL

ACTION_LABELS: dict[str, str] = {
    # areas, accounts, demo
    "area_create": "新建区划",
    "area_import": "导入区划",
    "grid_create": "新建网格",
    "grid_assign_worker": "指定网格员",
    "grid_place_households": "农户划入网格",
    "user_create": "新建用户",
    "user_bulk_create": "批量新建用户",
    "first_admin_create": "首次设置：新建第一位管理员",
    "membership_grant": "授予角色",
    "membership_end": "结束角色",
    "user_update": "修改用户信息",
    "user_deactivate": "停用账号",
    "user_reactivate": "恢复账号",
    "user_password_reset": "重置密码",
    "account_policy_set": "设置账号规则",
    "token_create": "创建接口令牌",
    "token_revoke": "吊销接口令牌",
    "lockout_lift": "解除登录锁定",
    "password_change": "修改本人密码",
    "delegation_grant": "授权例外（职责分离）",
    "delegation_revoke": "撤销授权例外",
    "demo_load": "加载演示数据",
    # registry
    "household_create": "新建农户",
    "household_update": "修改农户信息",
    "household_import": "Excel导入农户",
    "registration_refused": "拒绝重复登记",
    "household_bulk_create": "批量建档",
    "household_set_monitoring": "设置监测状态",
    "household_set_relocation": "设置搬迁安置",
    "household_move_site": "搬迁户调整安置点",
    "member_add": "新增家庭成员",
    "member_update": "修改家庭成员",
    "member_remove": "移除家庭成员",
    "income_record": "记录收入",
    "income_item_update": "修改收入项",
    "income_item_delete": "删除收入项",
    "guarantee_check_record": "三保障核查",
    "site_create": "新建安置点",
    "site_update": "修改安置点",
    "site_place_household": "安置农户到安置点",
    # rules
    "ruleset_create_draft": "新建规则草稿",
    "ruleset_update_draft": "修改规则草稿",
    "ruleset_delete_draft": "删除规则草稿",
    "ruleset_publish": "发布规则",
    "monitoring_line_set": "设定监测线",
    # monitoring
    "feed_ingest": "接收部门数据",
    "warning_open": "生成预警",
    # casework
    "params_set": "设定监测程序参数",
    "obligation_set": "设定走访要求",
    "calendar_day_set": "设定工作日历",
    "calendar_day_delete": "删除工作日历日",
    "calendar_load_national": "载入国家法定节假日",
    "visit_log": "记录走访",
    "absence_mark": "标记外出户",
    "absence_clear": "取消外出标记",
    "measure_set_status": "更新帮扶措施状态",
    "self_report_attempts_purge": "清理自主申报记录",
    "case_open": "立案",
    "case_report": "再次报告风险",
    "case_plan": "制定帮扶措施",
    # insurance
    "scheme_create": "新建防贫保方案",
    "scheme_update": "修改防贫保方案",
    "terms_set": "设定理赔条款",
    "document_rule_set": "设定理赔材料要求",
    "premium_record": "记录保费",
    "fund_settle": "资金池结算",
    "claim_document_add": "上传理赔材料",
    # employment
    "workshop_create": "新建帮扶车间",
    "workshop_update": "修改帮扶车间",
    "workshop_revenue_set": "登记车间营收",
    "wage_rule_set": "设定工资规则",
    "contract_create": "签订劳动合同",
    "contract_end": "终止劳动合同",
    "payslip_record": "记录工资",
    "payslip_correct": "更正工资单",
    "policy_set": "设定就业帮扶参数",
    "course_create": "新建培训班",
    "trainee_add": "登记培训学员",
    "welfare_post_create": "设立公益岗位",
    "welfare_post_end": "终止公益岗位",
    "welfare_post_months": "登记公益岗位出勤",
    "asset_create": "登记集体资产",
    "asset_income_distribute": "分配资产收益",
    "dividend_rule_set": "设定分红规则",
    "funding_add": "登记资金来源",
    # market
    "enterprise_create": "新建经营主体",
    "enterprise_update": "修改经营主体",
    "enterprise_year_set": "登记年度经营数据",
    "counterpart_link_add": "新增对口帮扶关系",
    "household_link_create": "登记带动农户",
    "product_create": "新建产品",
    "product_photo_set": "上传产品照片",
    "production_record": "登记产量",
    "price_set": "设定价格",
    "sales_event_create": "新建消费帮扶活动",
    "sale_record": "记录销售",
    "payment_record": "记录带农收益",
    "payment_cancel": "撤销带农收益",
    "parameter_set": "设定消费帮扶参数",
    "buyer_create": "新建采购单位",
    "target_set": "设定采购目标",
    "order_place": "下单",
    "certification_apply": "申请认定",
    "certification_resubmit": "重新提交认定申请",
    # analytics
    "indicators_refresh": "刷新统计指标",
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
_FAMILY_NOUNS = {
    "case": "监测案件",
    "claim": "防贫保理赔",
    "workshop": "帮扶车间",
    "certification": "消费帮扶产品认定",
    "order": "采购订单",
    "warning": "预警",
}

OBJECT_LABELS: dict[str, str] = {
    "accounts.user": "用户",
    "accounts.membership": "角色授权",
    "accounts.delegation": "授权例外",
    "accounts.accountpolicy": "账号规则",
    "areas.area": "区划",
    "areas.grid": "网格",
    "registry.household": "农户",
    "registry.member": "家庭成员",
    "registry.incomestatement": "年度收入",
    "registry.incomeitem": "收入项",
    "registry.guaranteecheck": "三保障核查",
    "registry.resettlementsite": "安置点",
    "registry.importbatch": "导入批次",
    "ImportBatch": "导入批次",
    "rules.ruleset": "规则",
    "rules.monitoringline": "监测线",
    "monitoring.feedbatch": "部门数据批次",
    "monitoring.warning": "预警",
    "casework.case": "监测案件",
    "casework.measure": "帮扶措施",
    "casework.visit": "走访",
    "casework.caseparameters": "监测程序参数",
    "casework.visitobligation": "走访要求",
    "casework.calendarday": "工作日历",
    "casework.absence": "外出登记",
    "insurance.scheme": "防贫保方案",
    "insurance.causeterms": "理赔条款",
    "insurance.claim": "理赔",
    "insurance.claimdocument": "理赔材料",
    "insurance.documentrule": "理赔材料要求",
    "insurance.ledgerentry": "资金池记账",
    "employment.workshop": "帮扶车间",
    "employment.workshoprevenue": "车间营收",
    "employment.wagerule": "工资规则",
    "employment.contract": "劳动合同",
    "employment.payslip": "工资单",
    "employment.employmentpolicy": "就业帮扶参数",
    "employment.trainingcourse": "培训班",
    "employment.trainingrecord": "培训学员",
    "employment.welfarepost": "公益岗位",
    "employment.collectiveasset": "集体资产",
    "employment.assetincome": "资产收益",
    "employment.dividendrule": "分红规则",
    "employment.fundingsource": "资金来源",
    "market.enterprise": "经营主体",
    "market.enterpriseyear": "年度经营数据",
    "market.counterpartlink": "对口帮扶关系",
    "market.householdlink": "带动农户",
    "market.product": "产品",
    "market.productphoto": "产品照片",
    "market.productionrecord": "产量",
    "market.pricerecord": "价格",
    "market.salesevent": "消费帮扶活动",
    "market.salerecord": "销售",
    "market.payment": "带农收益",
    "market.marketparameter": "消费帮扶参数",
    "market.buyer": "采购单位",
    "market.procurementtarget": "采购目标",
    "market.order": "采购订单",
    "market.certification": "产品认定",
    "analytics.indicatorrun": "指标刷新",
}


def action_label(action: str) -> str:
    """The Chinese name of an audited action; never the bare code."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    family, _, verb = action.partition("_")
    if family in _FAMILIES:
        return _FAMILIES[family].get(verb) or f"{_FAMILY_NOUNS[family]}：其他步骤"
    return "其他操作"


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, "其他记录")


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
    "amount": "金额",
    "total": "合计",
    "year": "年度",
    "item": "收入项目",
    "source": "来源",
    "rule": "规则",
    "households": "户数",
    "members": "人数",
    "users": "用户数",
    "rows": "行数",
    "kind": "类别",
    "role": "角色",
    "fields": "修改的字段",
    "payout": "赔付金额",
    "persons": "人数",
    "month": "月份",
    "gross": "应发工资",
    "version": "版本",
    "effective_from": "生效日期",
    "from_date": "起始日期",
    "reference": "凭证号",
    "days": "天数",
    "site": "安置点",
    "scheme": "方案",
    "cause": "原因",
    "price": "价格",
    "quantity": "数量",
    "channel": "渠道",
    "share": "比例",
    "basis": "分配方式",
    "household": "农户",
    "enterprise": "经营主体",
    "product": "产品",
    "sector": "行业",
    "type": "类型",
    "eliminated": "风险消除日期",
    "mode": "方式",
    "risk": "报告风险",
    "checks": "核查事项",
    "user": "用户",
    "end": "结束日期",
    "grids": "交接的网格",
    "township_administers": "乡镇可管理账号",
    "password_min_length": "密码最短长度",
    "password_block_common": "禁止常见密码",
}


_VALUE_LABELS: dict[str, dict[str, str]] = {
    "item": ITEM_LABEL,
    "role": {r.value: label for r, label in ROLE_LABELS.items()},
    "mode": VISIT_MODES,  # a visit's 入户 / 电话 (the audit export showed in_person)
}


def _shown(key: str, value: Any) -> str:
    if isinstance(value, str) and value in _VALUE_LABELS.get(key, {}):
        return _VALUE_LABELS[key][value]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return "—" if value in ("", None) else str(value)


def change_text(action: str, data: dict[str, Any]) -> str:
    """What changed: "before → after" of a step (state names, not codes), then the other values."""
    data = dict(data or {})
    parts: list[str] = []
    if "from" in data and "to" in data:
        states = _STATES.get(action.partition("_")[0], {})
        before, after = data.pop("from"), data.pop("to")
        parts.append(f"{states.get(before, before) if before else '（新建）'} → {states.get(after, after)}")
    elif "from" in data:
        data["from_date"] = data.pop("from")
    parts += [f"{DATA_LABELS.get(k, k)}：{_shown(k, v)}" for k, v in data.items()]
    return "；".join(parts)
