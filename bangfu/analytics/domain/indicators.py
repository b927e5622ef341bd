"""The indicator catalogue and the roll-up of village figures to every level above.

Indicators are counted once per village (and per grid) by SQL, then summed up the code hierarchy
here: a township's figure is the sum of its villages', a county's the sum of its townships', and so
on. Only additive quantities (counts, yuan) are stored; ratios are derived when shown, from their
stored numerator and denominator, so a county's rate is never an average of village rates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# Leading digits of each level of a 12-digit division code (see areas.domain.codes).
LEVEL_DIGITS = (2, 4, 6, 9)

Cell = tuple[str, str]  # (indicator key, period)


@dataclass(frozen=True)
class Indicator:
    key: str
    zh: str
    en: str
    unit: str = "户"  # 户, 人, 元, 件
    money: bool = False
    flow: bool = False  # a year's total (period "2025"), not a state at the month (period "2025-03")


CATALOGUE: tuple[Indicator, ...] = (
    Indicator("households", "农户", "households"),
    Indicator("people", "人口", "people", unit="人"),
    Indicator("poverty_exited", "脱贫户", "lifted out of poverty"),
    Indicator("monitored", "监测对象", "monitored households"),
    Indicator("monitored.脱贫不稳定户", "脱贫不稳定户", "unstable since leaving poverty"),
    Indicator("monitored.边缘易致贫户", "边缘易致贫户", "marginal, at risk of poverty"),
    Indicator("monitored.突发严重困难户", "突发严重困难户", "sudden severe hardship"),
    Indicator("dibao", "低保户", "on minimum living allowance"),
    Indicator("tekun", "特困供养户", "supported as destitute"),
    Indicator("relocated", "易地搬迁户", "relocated households"),
    Indicator("no_labour", "整户无劳动力", "no one able to work"),
    Indicator("eliminated", "风险消除", "risk eliminated", flow=True),
    Indicator("monitored_trend", "月末监测对象", "monitored at month end"),
    Indicator("warnings.new", "本月新增预警", "new warnings this month", unit="条"),
    Indicator("warnings.open", "待处理预警", "warnings awaiting action", unit="条"),
    Indicator("cases.overdue", "逾期办理步骤", "overdue procedure steps", unit="件"),
    Indicator("visits.due", "应走访户", "households with a visit due this period"),
    Indicator("visits.met", "已按要求走访", "visited as required"),
    Indicator("claims.paid", "本年理赔支付", "claim payouts this year", unit="元", money=True, flow=True),
    Indicator("claims.paid_count", "本年理赔笔数", "claims paid this year", unit="笔", flow=True),
    Indicator("fund.balance", "防贫基金余额", "fund balance", unit="元", money=True),
    Indicator("fund.premiums", "本年保费收入", "premiums this year", unit="元", money=True),
    Indicator("relocation.with_labour", "有劳动力搬迁户", "relocated households with labour"),
    Indicator("relocation.met", "已实现就业搬迁户", "relocated households with a job"),
    Indicator("workshops", "帮扶车间", "workshops", unit="个"),
    Indicator("workers", "车间在岗工人", "workshop workers", unit="人"),
    Indicator("payroll", "本年车间工资", "workshop payroll this year", unit="元", money=True, flow=True),
    Indicator("sales.total", "本年销售额", "sales this year", unit="元", money=True, flow=True),
    Indicator("sales.counter", "专柜门店", "counters and shops", unit="元", money=True, flow=True),
    Indicator("sales.fair", "展销会", "fairs", unit="元", money=True, flow=True),
    Indicator("sales.online_shop", "网店", "online shops", unit="元", money=True, flow=True),
    Indicator("sales.livestream", "直播带货", "livestreams", unit="元", money=True, flow=True),
    Indicator("sales.institutional", "机关单位采购", "institutional buyers", unit="元", money=True, flow=True),
    Indicator("market.paid", "企业支付农户", "paid by enterprises to households", unit="元", money=True, flow=True),
)
BY_KEY = {i.key: i for i in CATALOGUE}


def period_of(key: str, as_of: dt.date) -> str:
    """The cache period of a figure: the year for flows, the month for states (unknown keys: month)."""
    ind = BY_KEY.get(key)
    return f"{as_of.year:04d}" if ind is not None and ind.flow else f"{as_of.year:04d}-{as_of.month:02d}"


def ancestor_codes(village_code: str) -> list[str]:
    """Codes of the province, prefecture, county and township above a village (12 digits each)."""
    return [village_code[:n].ljust(12, "0") for n in LEVEL_DIGITS]


def roll_up(by_village: Mapping[str, Mapping[Cell, Decimal]]) -> dict[str, dict[Cell, Decimal]]:
    """Village figures plus their sums at every level above, keyed by 12-digit area code."""
    out: dict[str, dict[Cell, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for village, cells in by_village.items():
        # dict.fromkeys: a unit that is itself a county (its fund) is counted once at its own level
        for code in dict.fromkeys([village, *ancestor_codes(village)]):
            target = out[code]
            for cell, value in cells.items():
                target[cell] += value
    return {code: dict(cells) for code, cells in out.items()}


def merge(parts: Iterable[Mapping[str, Mapping[Cell, Decimal]]]) -> dict[str, dict[Cell, Decimal]]:
    """Join the per-village figures of several sources (each source counts different keys)."""
    out: dict[str, dict[Cell, Decimal]] = defaultdict(dict)
    for part in parts:
        for code, cells in part.items():
            out[code].update(cells)
    return dict(out)


def rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator or 0) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
