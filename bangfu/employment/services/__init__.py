"""Writes of employment (keyword-only, atomic, audited). Import from here: `employment.services.<name>`."""

from bangfu.employment.services.dividends import AssetInput, asset_create, asset_income_distribute, dividend_rule_set
from bangfu.employment.services.payroll import ContractInput, contract_create, contract_end, payslip_record
from bangfu.employment.services.payroll_sheet import PayEntry, SheetResult, payroll_sheet_record
from bangfu.employment.services.policy import POLICY_FIELDS, PolicyInput, policy_set
from bangfu.employment.services.training import CourseInput, course_create, trainee_add
from bangfu.employment.services.welfare import PostInput, welfare_post_create, welfare_post_end, welfare_post_months
from bangfu.employment.services.workshops import (
    WORKSHOP_EDITABLE,
    OperatorInput,
    WageRuleInput,
    WorkshopFacts,
    WorkshopInput,
    funding_add,
    wage_rule_set,
    workshop_create,
    workshop_revenue_set,
    workshop_transition,
    workshop_update,
)

__all__ = [
    "POLICY_FIELDS",
    "WORKSHOP_EDITABLE",
    "AssetInput",
    "ContractInput",
    "CourseInput",
    "OperatorInput",
    "PayEntry",
    "PolicyInput",
    "PostInput",
    "SheetResult",
    "WageRuleInput",
    "WorkshopFacts",
    "WorkshopInput",
    "asset_create",
    "asset_income_distribute",
    "contract_create",
    "contract_end",
    "course_create",
    "dividend_rule_set",
    "funding_add",
    "payroll_sheet_record",
    "payslip_record",
    "policy_set",
    "trainee_add",
    "wage_rule_set",
    "welfare_post_create",
    "welfare_post_end",
    "welfare_post_months",
    "workshop_create",
    "workshop_revenue_set",
    "workshop_transition",
    "workshop_update",
]
