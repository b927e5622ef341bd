"""The default rule set of the domain brief §1.3/§1.5/§6.4, as data: every number is a parameter.

It is written into the database once per province by `rules.services.ruleset_seed_default`; after
that the rows are the truth and this module is only the starting point.
"""

from __future__ import annotations

from typing import Any

from bangfu.core.domain.text import gettext_noop

DEFAULT_WINDOW = "rolling_12m"

DEFAULT_PARAMS: dict[str, str] = {
    "medical_oop_limit": "10000",  # 西安: burden after the three layers > 10,000 for low-income people
    "medical_oop_share_limit": "0.5",  # 滨州: > 50% of income
    "school_cost_limit": "8000",  # tuition above 8,000 (story B's insurance deductible)
    "disaster_loss_limit": "10000",
    "income_drop_limit": "-0.3",  # per-capita income fell by more than 30% on last year
    # A dismissed or escalated warning is raised again on the same facts only after this many days
    # (monitoring/domain/recurrence.py); a new bill or a higher amount brings it back at once.
    "recheck_days": "180",
}

PARAM_LABELS: dict[str, str] = {
    "medical_oop_limit": gettext_noop("医疗自付金额阈值（元）"),
    "medical_oop_share_limit": gettext_noop("医疗自付占纯收入比例阈值"),
    "school_cost_limit": gettext_noop("教育支出阈值（元）"),
    "disaster_loss_limit": gettext_noop("灾害损失阈值（元）"),
    "income_drop_limit": gettext_noop("人均纯收入降幅阈值（如 -0.3 即下降30%）"),
    "recheck_days": gettext_noop("已排除/已转监测预警的复查期（天），期满仍符合条件则再次预警"),
}

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "income_below_line",
        "zh": "人均纯收入低于监测线",
        "en": "per-capita income below the line",
        "risk": "收入",
        "when": {"fact": "per_capita_income", "op": "<", "ref": "monitoring_line"},
    },
    {
        "code": "medical_cost",
        "zh": "医疗支出骤增",
        "en": "high medical out-of-pocket",
        "risk": "因病",
        "when": {
            "any": [
                {"fact": "medical_oop", "op": ">", "param": "medical_oop_limit"},
                {"fact": "medical_oop_share", "op": ">", "param": "medical_oop_share_limit"},
            ]
        },
    },
    {
        "code": "school_cost",
        "zh": "教育支出过高",
        "en": "high school costs",
        "risk": "因学",
        "when": {"fact": "school_costs", "op": ">", "param": "school_cost_limit"},
    },
    {
        "code": "disaster_loss",
        "zh": "遭受灾害损失",
        "en": "disaster loss",
        "risk": "因灾",
        "when": {"fact": "disaster_loss", "op": ">", "param": "disaster_loss_limit"},
    },
    {
        "code": "income_drop",
        "zh": "收入大幅下降",
        "en": "sharp income drop",
        "risk": "收入",
        "when": {"fact": "per_capita_income_change", "op": "<", "param": "income_drop_limit"},
    },
]
