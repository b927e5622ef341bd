"""Risk-elimination guards (风险消除条件), domain brief §1.8. Every number comes from the area's parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class EliminationRules:
    min_months_monitored: int  # 6 in the Anhui texts
    min_measures_done: int  # 1
    stable_income_months: int  # 6
    # The monitoring line of the statement's year, from the rules app (the single source of truth);
    # None when the province/county has not configured that year's line, which blocks the proposal.
    income_line: Decimal | None
    exclude_no_labour: bool  # whole households without labour are not marked eliminated for now
    require_guarantees: bool  # 三保障 and drinking water must be secure


@dataclass(frozen=True)
class EliminationFacts:
    today: dt.date
    monitored_since: dt.date | None
    measures_done: int
    # per-capita net income of the statement registry's domain names for elimination (the last
    # complete year, `income_year`); None when that statement is not recorded
    per_capita: Decimal | None
    last_income_drop: dt.date | None  # latest visit or case event reporting an income drop
    rigid_expenditure_resolved: bool  # declared by the village on proposal (big medical / school bills)
    guarantees_secure: bool | None  # latest guarantee check; None when never checked
    no_labour: bool
    income_year: int | None = None  # the statement's year, named in the refusal


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (a month counts once its day-of-month is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def check(rules: EliminationRules, f: EliminationFacts) -> list[tuple[str, str]]:
    """(zh, en) for every condition that fails; an empty list means the proposal may go ahead."""
    out: list[tuple[str, str]] = []
    months = months_between(f.monitored_since, f.today) if f.monitored_since else 0
    if months < rules.min_months_monitored:
        out.append(
            (
                f"纳入监测仅{months}个月，须满{rules.min_months_monitored}个月",
                f"monitored for {months} months; at least {rules.min_months_monitored} are required",
            )
        )
    if f.measures_done < rules.min_measures_done:
        out.append(
            (
                f"已落实帮扶措施{f.measures_done}项，至少须{rules.min_measures_done}项",
                f"{f.measures_done} measures carried out; at least {rules.min_measures_done} are required",
            )
        )
    if rules.income_line is None:
        out.append(
            (
                "尚未配置该年度的监测范围(监测线)，请省或县级管理员在“规则”中设置",
                "the monitoring line of that year is not configured; ask the administrator to set it under rules",
            )
        )
    elif f.per_capita is None or f.per_capita <= rules.income_line:
        shown = "未登记" if f.per_capita is None else f"{f.per_capita:,.2f}元"
        shown_en = "not recorded" if f.per_capita is None else f"{f.per_capita:,.2f} yuan"
        year_zh, year_en = (f"{f.income_year}年", f"{f.income_year} ") if f.income_year else ("", "")
        out.append(
            (
                f"{year_zh}家庭人均纯收入({shown})须高于监测范围{rules.income_line:,.2f}元",
                f"{year_en}per-capita net income ({shown_en}) must be above the line of {rules.income_line:,.2f} yuan",
            )
        )
    if f.last_income_drop is not None and months_between(f.last_income_drop, f.today) < rules.stable_income_months:
        out.append(
            (
                f"近{rules.stable_income_months}个月内有收入下降记录，收入尚未稳定",
                f"an income drop was reported in the last {rules.stable_income_months} months",
            )
        )
    if not f.rigid_expenditure_resolved:
        out.append(("大额刚性支出(医疗、上学等)尚未稳定解决", "large rigid expenditures are not resolved"))
    if rules.require_guarantees and not f.guarantees_secure:
        out.append(
            (
                "“三保障”和饮水安全未全部巩固(以最近一次核查为准)",
                "the three guarantees and drinking water are not all secure (latest check)",
            )
        )
    if rules.exclude_no_labour and f.no_labour:
        out.append(
            (
                "整户无劳动力的监测户暂不标注风险消除",
                "a whole household without labour is not marked eliminated",
            )
        )
    return out
