"""Demo step of rules + monitoring: default rules and lines, story B's tuition bill, a screened county.

Runs after the demo base (areas, users, households) and before casework and insurance, which pick up
the warnings. Everything goes through the services a user or a department system would call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bangfu.core import crypto
from bangfu.demo.context import DemoContext
from bangfu.monitoring import selectors, services
from bangfu.registry import selectors as registry
from bangfu.rules import services as rules

FIRST_LINE_YEAR = 2021  # the 6,000-yuan floor of the domain brief §1.3
LINE_2021 = Decimal("6000")
# Yearly lines after 2021 were NOT FOUND in public sources: the demo keeps the 2021 floor for later
# years and says so in the row's note; a real deployment enters its province's published figures.


def load(ctx: DemoContext) -> None:
    for key in ("gannan", "mabian", "luolong"):
        if key in ctx.areas:
            _province_rules(ctx, ctx.areas[key].code[:2] + "0" * 10)
    if "B" in ctx.households and "gannan_edu" in ctx.users:
        story_b_tuition(ctx)
    if "gannan_med" in ctx.users and "gannan" in ctx.areas:
        _synthetic_medical_bills(ctx, ctx.areas["gannan"].code, ctx.users["gannan_med"])
    for key in ("gannan", "mabian", "luolong"):
        if key in ctx.areas:
            services.screen(area_code=ctx.areas[key].code, as_of=ctx.today, trigger="demo")


def _province_rules(ctx: DemoContext, province: str) -> None:
    rules.ruleset_seed_default(actor=None, area_code=province, effective_from=dt.date(FIRST_LINE_YEAR, 1, 1))
    for year in range(FIRST_LINE_YEAR, ctx.today.year + 1):
        note = "1.5倍国家扶贫标准" if year == FIRST_LINE_YEAR else "演示：沿用2021年底线（非官方数值）demo value"
        rules.monitoring_line_set(actor=None, area_code=province, year=year, amount=LINE_2021, note=note)


def _id_number(member: Any) -> str:
    return crypto.decrypt(member.id_enc)


def story_b_tuition(ctx: DemoContext) -> None:
    """The education department reports the elder daughter's university bill (19,400 yuan, January).

    The bill raises the school-cost warning; the county assigns it to 周景财, who verifies it on a visit.
    """
    h = ctx.households["B"]
    elder = registry.members_unscoped(household_id=h.pk, relation="之女", limit=1)[0]
    paid_on = min(dt.date(ctx.today.year, 1, 10), ctx.today)
    row = {
        "身份证号": _id_number(elder),
        "缴费日期": paid_on.isoformat(),
        "学费": "15600",
        "住宿费": "1800",
        "其他费用": "2000",
        "已获资助": "0",
    }
    services.feed_ingest(
        actor=ctx.users["gannan_edu"], kind="school", rows=[row], period=f"{paid_on:%Y-%m}", source="api"
    )
    warning = selectors.active_warning(h.pk, "school_cost")
    ctx.extra["B_school_warning"] = warning
    admin, worker = ctx.users.get("gannan_admin"), ctx.users.get("zhoujingcai")
    if warning is not None and admin is not None and worker is not None:
        services.warning_transition(actor=admin, warning=warning, event="assign")
        services.warning_transition(
            actor=worker,
            warning=warning,
            event="verify",
            reason="入户核实：长女颜丽娜考入省城大学，学费住宿费等共19,400元，已指导申请防贫保险",
        )


def _synthetic_medical_bills(ctx: DemoContext, county_code: str, officer: Any) -> None:
    """About 3% of the county's members have a hospital bill this year; some leave a heavy burden."""
    members = registry.members_unscoped(area_prefix=county_code[:6], limit=20000)
    picked = [m for m in members if ctx.rng.random() < 0.03]
    rows = []
    for m in picked:
        total = Decimal(ctx.rng.choice([3000, 8000, 15000, 30000, 60000, 120000]))
        basic = (total * Decimal("0.55")).quantize(Decimal("1"))
        serious = (total * Decimal(ctx.rng.choice(["0", "0.1", "0.15"]))).quantize(Decimal("1"))
        when = ctx.today - dt.timedelta(days=ctx.rng.randint(1, 300))
        rows.append(
            {
                "身份证号": _id_number(m),
                "结算日期": when.isoformat(),
                "医疗总费用": str(total),
                "基本医保报销": str(basic),
                "大病保险报销": str(serious),
                "医疗救助": "0",
            }
        )
    if rows:
        services.feed_ingest(actor=officer, kind="medical", rows=rows, period=f"{ctx.today.year}", source="api")
