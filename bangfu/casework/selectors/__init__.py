"""Scoped reads of casework. Every function that returns people's data takes the acting user first.

Import from here: `casework.selectors.case_get`. The modules split the reads by topic: `config`
(parameters, obligations, calendars; unscoped), `cases`, `visits` (grid work and compliance), `intake`
(hand-opened cases and the lead queue), `grids` (placement and hand-over), `household` (the registry
page's section) and `batch` (indicator counts, never returned to a user).
"""

from bangfu.casework.selectors.batch import village_counts
from bangfu.casework.selectors.cases import (
    CASE_CAPS,
    CaseFilter,
    attachment_get,
    case_caps,
    case_detail,
    case_events_of,
    case_get,
    case_page,
    cases_visible,
    measures_visible,
    notice_get,
    overdue_by_township,
    steps_allowed,
)
from bangfu.casework.selectors.config import (
    ConfigOverview,
    calendar_for,
    config_overview,
    longest_report_window_hours,
    obligations_for,
    params_for,
    params_in_force,
    villages_for_self_report,
)
from bangfu.casework.selectors.grids import (
    VillageGridDetail,
    VillageGrids,
    grid_for_handover,
    grid_worker_candidate,
    village_grids,
    villages_for_grids,
    workload_by_grid,
)
from bangfu.casework.selectors.household import household_section
from bangfu.casework.selectors.intake import (
    LeadGroup,
    LeadRow,
    household_for_intake,
    households_for_intake,
    lead_queue,
    require_case_intake,
)
from bangfu.casework.selectors.visits import (
    ComplianceRow,
    HouseholdDue,
    compliance_report,
    household_for_visit,
    my_households,
    visit_with_photo,
    visits_of,
)

__all__ = [
    "CASE_CAPS",
    "CaseFilter",
    "ComplianceRow",
    "ConfigOverview",
    "HouseholdDue",
    "LeadGroup",
    "LeadRow",
    "VillageGridDetail",
    "VillageGrids",
    "attachment_get",
    "calendar_for",
    "case_caps",
    "case_detail",
    "case_events_of",
    "case_get",
    "case_page",
    "cases_visible",
    "compliance_report",
    "config_overview",
    "grid_for_handover",
    "grid_worker_candidate",
    "household_for_intake",
    "household_for_visit",
    "household_section",
    "households_for_intake",
    "lead_queue",
    "longest_report_window_hours",
    "measures_visible",
    "my_households",
    "notice_get",
    "obligations_for",
    "overdue_by_township",
    "params_for",
    "params_in_force",
    "require_case_intake",
    "steps_allowed",
    "village_counts",
    "village_grids",
    "villages_for_grids",
    "villages_for_self_report",
    "visit_with_photo",
    "visits_of",
    "workload_by_grid",
]
