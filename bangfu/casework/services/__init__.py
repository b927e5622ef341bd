"""Writes of casework (keyword-only, atomic, audited). Import from here: `casework.services.case_open`."""

from bangfu.casework.services.cases import case_open, case_step, measure_add, measure_set_status
from bangfu.casework.services.config import (
    ParamValues,
    calendar_day_delete,
    calendar_day_set,
    calendar_load_national,
    obligation_new_version,
    obligation_set,
    params_new_version,
    params_set,
)
from bangfu.casework.services.grid import (
    absence_clear,
    absence_mark,
    grid_place_households,
    grid_worker_replace,
    visit_log,
)
from bangfu.casework.services.self_report import self_report_attempts_purge, self_report_submit

__all__ = [
    "ParamValues",
    "absence_clear",
    "absence_mark",
    "calendar_day_delete",
    "calendar_day_set",
    "calendar_load_national",
    "case_open",
    "case_step",
    "grid_place_households",
    "grid_worker_replace",
    "measure_add",
    "measure_set_status",
    "obligation_new_version",
    "obligation_set",
    "params_new_version",
    "params_set",
    "self_report_attempts_purge",
    "self_report_submit",
    "visit_log",
]
