"""Scoped reads of employment. Every function that returns records takes the acting user first;
the few unscoped look-ups (parameters, facts for a guard, batch counts) are named as such and never
reach a page raw. Import from here: `employment.selectors.<name>`; the modules are by subject.
"""

from bangfu.employment.selectors._common import open_on
from bangfu.employment.selectors.batch import village_counts, villages_dated
from bangfu.employment.selectors.dividends import DividendPlan, asset_get, asset_incomes, assets_visible, dividend_plan
from bangfu.employment.selectors.households import HouseholdEmployment, household_employment
from bangfu.employment.selectors.parameters import (
    PolicyOverview,
    dividend_rule_in_force,
    policies_in_force,
    policy_areas,
    policy_in_force,
    policy_overview,
    probation_convention,
    thresholds,
    wage_rule_in_force,
)
from bangfu.employment.selectors.payroll import (
    PayrollLine,
    contract_get,
    contract_to_change,
    contract_year_total,
    contracts_visible,
    corrections_of,
    latest_payroll_month,
    payroll_sheet,
    payslip_get,
    payslips_of,
    wage_rule_names,
    workers_of,
)
from bangfu.employment.selectors.sites import (
    KpiRow,
    SiteKpi,
    employed_member_ids,
    household_facts,
    site_kpi,
    sites_overview,
)
from bangfu.employment.selectors.training import (
    course_get,
    courses_visible,
    trainees_of,
    training_history,
    with_trainee_counts,
)
from bangfu.employment.selectors.welfare import post_get, post_to_change, posts_visible
from bangfu.employment.selectors.workshops import (
    WorkshopChecks,
    last_full_year_revenue,
    workshop_checks,
    workshop_facts,
    workshop_get,
    workshops_for_site,
    workshops_listed,
    workshops_visible,
)

__all__ = [
    "DividendPlan",
    "HouseholdEmployment",
    "KpiRow",
    "PayrollLine",
    "PolicyOverview",
    "SiteKpi",
    "WorkshopChecks",
    "asset_get",
    "asset_incomes",
    "assets_visible",
    "contract_get",
    "contract_to_change",
    "contract_year_total",
    "contracts_visible",
    "corrections_of",
    "course_get",
    "courses_visible",
    "dividend_plan",
    "dividend_rule_in_force",
    "employed_member_ids",
    "household_employment",
    "household_facts",
    "last_full_year_revenue",
    "latest_payroll_month",
    "open_on",
    "payroll_sheet",
    "payslip_get",
    "payslips_of",
    "policies_in_force",
    "policy_areas",
    "policy_in_force",
    "policy_overview",
    "post_get",
    "post_to_change",
    "posts_visible",
    "probation_convention",
    "site_kpi",
    "sites_overview",
    "thresholds",
    "trainees_of",
    "training_history",
    "village_counts",
    "villages_dated",
    "wage_rule_in_force",
    "wage_rule_names",
    "with_trainee_counts",
    "workers_of",
    "workshop_checks",
    "workshop_facts",
    "workshop_get",
    "workshops_for_site",
    "workshops_listed",
    "workshops_visible",
]
