"""Workshop recognition (认定) and upgrade (乡村就业工厂) criteria, checked against configured thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Thresholds:
    """One EmploymentPolicy row's workshop part (广西 2022 values are the usual configuration)."""

    min_poor_workers: int
    min_insurance_per_worker_month: Decimal
    upgrade_min_months_running: int
    upgrade_min_long_contract_workers: int
    upgrade_min_contract_months: int
    upgrade_min_average_annual_pay: Decimal
    upgrade_min_annual_revenue: Decimal


@dataclass(frozen=True)
class WorkshopFacts:
    poor_workers: int  # current workers from poverty-exited or monitored households
    insurance_per_worker_month: Decimal
    months_running: int
    long_contract_poor_workers: int  # poor workers on contracts of at least the configured length
    average_annual_pay: Decimal  # of those long-contract workers over the last 12 payroll months
    annual_revenue: Decimal  # of the last full calendar year (0 when not reported)
    revenue_year: int | None = None  # which year that was, for the message


@dataclass(frozen=True)
class Check:
    code: str
    zh: str
    en: str
    actual: str
    required: str
    ok: bool


def recognition_checks(f: WorkshopFacts, t: Thresholds) -> list[Check]:
    return [
        Check(
            "poor_workers",
            "吸纳脱贫人口就业人数",
            "poverty-exited workers employed",
            str(f.poor_workers),
            f"≥{t.min_poor_workers}",
            f.poor_workers >= t.min_poor_workers,
        ),
        Check(
            "insurance",
            "人身意外伤害保险(元/人/月)",
            "accident insurance (yuan/worker/month)",
            str(f.insurance_per_worker_month),
            f"≥{t.min_insurance_per_worker_month}",
            f.insurance_per_worker_month >= t.min_insurance_per_worker_month,
        ),
    ]


def upgrade_checks(f: WorkshopFacts, t: Thresholds) -> list[Check]:
    return [
        Check(
            "months_running",
            "运营时间(月)",
            "months in operation",
            str(f.months_running),
            f"≥{t.upgrade_min_months_running}",
            f.months_running >= t.upgrade_min_months_running,
        ),
        Check(
            "long_contract_workers",
            f"签订{t.upgrade_min_contract_months}个月以上合同的脱贫劳动力",
            f"poverty-exited workers on contracts of {t.upgrade_min_contract_months}+ months",
            str(f.long_contract_poor_workers),
            f"≥{t.upgrade_min_long_contract_workers}",
            f.long_contract_poor_workers >= t.upgrade_min_long_contract_workers,
        ),
        Check(
            "average_pay",
            "上述人员年均工资(元)",
            "their average annual pay (yuan)",
            str(f.average_annual_pay),
            f"≥{t.upgrade_min_average_annual_pay}",
            f.average_annual_pay >= t.upgrade_min_average_annual_pay,
        ),
        Check(
            "revenue",
            f"{f.revenue_year}年营业收入(元)" if f.revenue_year else "年营业收入(元)",
            f"revenue of {f.revenue_year} (yuan)" if f.revenue_year else "annual revenue (yuan)",
            str(f.annual_revenue),
            f"≥{t.upgrade_min_annual_revenue}",
            f.annual_revenue >= t.upgrade_min_annual_revenue,
        ),
    ]


def all_met(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)
