"""The indicator catalogue and the roll-up of village figures to every level above.

Indicators are counted once per village (and per grid) by SQL, then summed up the code hierarchy
here: a township's figure is the sum of its villages', a county's the sum of its townships', and so
on. Only additive quantities (counts, yuan) are stored; ratios are derived when shown, from their
stored numerator and denominator, so a county's rate is never an average of village rates.
"""

from __future__ import annotations

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


CATALOGUE: tuple[Indicator, ...] = (
    Indicator("households", "农户", "households"),
    Indicator("people", "人口", "people", unit="人"),
    Indicator("poverty_exited", "脱贫户", "poverty-exited"),
    Indicator("monitored", "监测对象", "monitored"),
    Indicator("monitored.脱贫不稳定户", "脱贫不稳定户", "unstable poverty-exited"),
    Indicator("monitored.边缘易致贫户", "边缘易致贫户", "marginal, prone to poverty"),
    Indicator("monitored.突发严重困难户", "突发严重困难户", "sudden severe hardship"),
    Indicator("dibao", "低保户", "minimum-living-allowance"),
    Indicator("tekun", "特困供养户", "destitute support"),
    Indicator("relocated", "易地搬迁户", "relocated"),
    Indicator("no_labour", "整户无劳动力", "no labour in household"),
    Indicator("eliminated", "风险消除", "risk eliminated"),
    Indicator("monitored_trend", "月末监测对象", "monitored at month end"),
    Indicator("warnings.new", "新增预警", "new warnings", unit="条"),
    Indicator("warnings.open", "待处理预警", "open warnings", unit="条"),
    Indicator("cases.overdue", "逾期办理步骤", "overdue procedure steps", unit="件"),
)
BY_KEY = {i.key: i for i in CATALOGUE}


def ancestor_codes(village_code: str) -> list[str]:
    """Codes of the province, prefecture, county and township above a village (12 digits each)."""
    return [village_code[:n].ljust(12, "0") for n in LEVEL_DIGITS]


def roll_up(by_village: Mapping[str, Mapping[Cell, Decimal]]) -> dict[str, dict[Cell, Decimal]]:
    """Village figures plus their sums at every level above, keyed by 12-digit area code."""
    out: dict[str, dict[Cell, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for village, cells in by_village.items():
        for code in [village, *ancestor_codes(village)]:
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
