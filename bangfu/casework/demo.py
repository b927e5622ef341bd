"""Demo data of casework: parameters, story B (周景财's grid and visits to 颜世龙, the school-cost case),
this period's visits in 甘南县's grids and a modest number of synthetic cases there. Everything goes
through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import services as areas
from bangfu.areas.selectors import grids_visible
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes
from bangfu.casework.domain.procedure import State
from bangfu.casework.domain.visits import Standing
from bangfu.casework.models import Case
from bangfu.core.domain.workdays import add_working_days, is_working_day
from bangfu.demo.context import DemoContext
from bangfu.demo.domain import story_b
from bangfu.registry import services as registry
from bangfu.registry.selectors import households_visible

OBLIGATIONS = (("monitored", 2, "month", False), ("ordinary", 1, "month", False), ("absent", 1, "quarter", True))


def load(ctx: DemoContext) -> None:
    for key in ("gannan", "mabian", "luolong"):
        if key in ctx.areas:
            _configure(ctx.areas[key].code)
    _holidays(ctx.today.year)
    if "B" in ctx.households and {"zhoujingcai", "gannan_township", "gannan_village"} <= set(ctx.users):
        _story_b(ctx)
    for admin in ("gannan_admin", "mabian_admin", "luolong_admin"):
        if admin in ctx.users:
            _grid_visits(ctx, ctx.users[admin])
    if "gannan" in ctx.areas and "gannan_admin" in ctx.users:
        _synthetic(ctx)


def _configure(county_code: str) -> None:
    start = dt.date(2021, 1, 1)
    services.params_set(actor=None, area_code=county_code, effective_from=start, values=services.ParamValues())
    for category, visits, period, phone in OBLIGATIONS:
        services.obligation_set(
            actor=None,
            area_code=county_code,
            category=category,
            visits=visits,
            period=period,
            phone_counts=phone,
            effective_from=start,
        )


def _holidays(year: int) -> None:
    """The national calendar of the last two years (the migration has loaded it already; this only
    adds what a database migrated before the package knew a year would lack)."""
    services.calendar_load_national(actor=None, years=(year - 1, year))


def _story_b(ctx: DemoContext) -> None:
    zhou, household = ctx.users["zhoujingcai"], ctx.households["B"]
    grid = household.grid
    if grid is None or grid.worker_id != zhou.pk:
        grid = areas.grid_create(
            village_code=household.village_id, code=f"{household.village_id}-ZJC", name="永利村第三网格", worker=zhou
        )
        registry.household_update(actor=None, household=household, changes={"grid_id": grid.pk}, reason="网格划分")
    _fill_grid(household.village_id, grid.pk, ctx)
    school_visit = story_b.school_visit(story_b.story_year(ctx.today))  # before the claim is filed (story_b's calendar)
    for on in _visit_days(ctx, min(ctx.today - dt.timedelta(days=330), school_visit), ctx.today):
        risk = on == school_visit
        services.visit_log(
            actor=None,
            worker=zhou,
            household=household,
            visited_on=on,
            mode="in_person" if on.day % 3 else "phone",
            checks=["schooling"] if risk else [],
            report_risk=risk,
            note="长女考取省城大学，学费住宿费约1.94万元，家里拿不出" if risk else ctx.rng.choice(VISIT_NOTES),
        )
    _school_case(ctx, household)


VISIT_NOTES = [
    "家中一切正常，玉米长势好",
    "护林员工资按时发放",
    "颜世龙复查结果稳定",
    "院里牛羊出栏，收入正常",
    "二女儿在校情况良好",
    "了解助学贷款办理进度",
]


def _visit_days(ctx: DemoContext, start: dt.date, end: dt.date) -> list[dt.date]:
    """Two or three visits a month, as in the story; the school visit falls on its fixed day."""
    days: set[dt.date] = {story_b.school_visit(story_b.story_year(ctx.today))}
    month = start.replace(day=1)
    while month <= end:
        for day in ctx.rng.sample(range(2, 28), ctx.rng.choice([2, 3])):
            on = month.replace(day=day)
            if start <= on <= end:
                days.add(on)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(days)


def _fill_grid(village: str, grid_id: int, ctx: DemoContext) -> None:
    """About 30 households per grid worker: place the village's households that have no grid yet."""
    admin = ctx.users.get("gannan_admin")
    if admin is None:
        return
    free = households_visible(admin, Cap.EDIT_REGISTRY).filter(village__code=village, grid__isnull=True)
    for h in free.order_by("number")[:29]:
        registry.household_update(actor=None, household=h, changes={"grid_id": grid_id}, reason="网格划分")


GRID_NOTES = ["家中一切正常", "了解务工收入情况", "宣传防返贫政策和申报渠道", "核实家庭人口无变化", "庄稼长势正常"]
BEHIND_EVERY = 4  # one grid in four is behind this period: the compliance page and dashboard show gaps


def _grid_visits(ctx: DemoContext, admin: Any) -> None:
    """This period's visits in the grids of `admin`'s county, so visit compliance is neither 0% nor 100%.

    Each grid worker makes the visits still due (monitored and ordinary households, as the visit
    rules in force say); in every fourth grid, and at least one, the worker is behind and half of
    the households have not been visited yet. The story households keep only the story's visits.
    A local generator picks the dates, so the other demo steps get the same random numbers as before.
    """
    rng = random.Random(f"{ctx.today.isoformat()}:{admin.username}")
    story = {h.pk for h in ctx.households.values() if getattr(h, "pk", None)}
    grids = grids_visible(admin).order_by("village_id", "code")
    staffed = [(g.pk, g.worker) for g in grids if g.worker is not None]
    behind = set(range(BEHIND_EVERY - 2, len(staffed), BEHIND_EVERY)) or {len(staffed) - 1}
    for i, (grid_id, worker) in enumerate(staffed):
        due = [
            (r.household, r.standing)
            for r in selectors.my_households(worker, ctx.today)
            if r.household.grid_id == grid_id and r.household.pk not in story and r.standing is not None
        ]
        for n, (household, standing) in enumerate(due):
            if i in behind and n % 2 == 0:
                continue  # not visited yet this period
            _visits_due(rng, ctx.today, worker, household, standing)


def _visits_due(rng: random.Random, today: dt.date, worker: Any, household: Any, standing: Standing) -> None:
    """The in-person visits the household still needs this period, on days of the period so far."""
    last = min(today, standing.period_end)
    span = (last - standing.period_start).days
    for _ in range(standing.remaining):
        services.visit_log(
            actor=None,
            worker=worker,
            household=household,
            visited_on=standing.period_start + dt.timedelta(days=rng.randint(0, span)),
            mode="in_person",
            note=rng.choice(GRID_NOTES),
        )


def _school_case(ctx: DemoContext, household: Any) -> None:
    """The school-cost risk from 周景财's visit, taken through every step to monitoring with its plan."""
    case = Case.objects.filter(household=household).order_by("-pk").first()
    if case is None or case.state != State.LEAD:
        return
    # Each step by its own role, as the duties kept apart require (the verifier and the village do not
    # review for the township; the township reviewer does not approve for the county).
    admin = ctx.users["gannan_admin"]
    township, village = ctx.users["gannan_township"], ctx.users["gannan_village"]
    by = {
        "accept": township,
        "compare": township,
        "township_review": township,
        "announce": township,
        "verify": village,
        "deliberate": village,
        "publish": village,
        "approve": admin,
    }
    on = case.opened_on
    steps: list[tuple[str, int, dict[str, Any]]] = [
        ("accept", 1, {}),
        (
            "verify",
            2,
            {"consent_signed_on": None, "survey": "入户核实：长女录取通知书、学费票据1.94万元；家庭年收入约2.5万元"},
        ),
        ("compare", 3, {"vehicle": "无", "property": "无", "business": "无", "payroll": "无"}),
        (
            "deliberate",
            2,
            {
                "minutes": "一致同意纳入突发严重困难户",
                "attendees": "村两委5人、村民代表8人、驻村第一书记",
                "vote_result": "passed",
                "present": 14,
                "votes_for": 14,
                "votes_against": 0,
            },
        ),
        ("publish", 1, {}),
        ("township_review", 0, {}),
        ("approve", 2, {"monitoring_type": "突发严重困难户", "risk_codes": ["因学", "家庭刚性支出较大"]}),
        ("announce", 1, {}),
    ]
    for event, gap, data in steps:
        on = _next_step_day(case, on, gap)
        if "consent_signed_on" in data:
            data = {**data, "consent_signed_on": on.isoformat()}
        case = services.case_step(actor=by[event], case=case, event=event, on=on, data=data, note="")
    year = story_b.story_year(ctx.today)
    for category, title, amount, who, starts in PLAN_B:
        services.measure_add(
            actor=village,
            case=case,
            category=category,
            title=title,
            responsible=who,
            starts_on=starts(year),
            amount=amount,
            status="done",
        )


# Measures with the day each began: the loan and grant with the school year, the ranger post since
# 2018, the insurance claim on the day it was filed (先行帮扶, while identification was under way).
PLAN_B: list[tuple[str, str, str, str, Callable[[int], dt.date]]] = [
    ("other_education", "长女生源地信用助学贷款", "8000", "县学生资助中心", lambda y: dt.date(y - 1, 9, 1)),
    ("other_education", "二女儿国家助学金", "2000", "县学生资助中心", lambda y: dt.date(y - 1, 9, 1)),
    ("welfare_post", "妻子生态护林员公益岗位", "6000", "县林草局", lambda y: dt.date(2018, 1, 1)),
    ("comprehensive_security", "防贫保险（因学）理赔申请", "0", "周景财", story_b.claim_applied),
]


def _next_step_day(case: Case, after: dt.date, gap: int) -> dt.date:
    if case.state == State.PUBLICIZED.value:
        notice = case.notices.order_by("-pk").first()
        assert notice is not None
        return notice.ends_on + dt.timedelta(days=1)
    day = add_working_days(after, gap) if gap else after
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _synthetic(ctx: DemoContext) -> None:
    """A dozen cases across 甘南县 in different states, so queues, deadlines and overdue lists have rows."""
    admin = ctx.users["gannan_admin"]
    story = [h.pk for h in ctx.households.values() if getattr(h, "pk", None)]
    pool = list(
        households_visible(admin)
        .filter(village__code__startswith=ctx.areas["gannan"].code[:6])
        .exclude(pk__in=story)
        .order_by("number")[:12]
    )
    sources = list(codes.SOURCES)
    for i, h in enumerate(pool):
        opened = ctx.today - dt.timedelta(days=ctx.rng.randint(3, 40))
        case = services.case_open(
            actor=None,
            household=h,
            source=sources[i % len(sources)],
            on=opened,
            summary=ctx.rng.choice(SYNTHETIC_RISKS),
            hardship="",
        )
        if i % 3 == 1:
            services.case_step(actor=admin, case=case, event="accept", on=_next_step_day(case, opened, 1))


SYNTHETIC_RISKS = [
    "户主突发脑梗住院，自付医疗费约3.2万元",
    "洪涝灾害导致玉米绝收",
    "子女上高职学费负担重",
    "家中主要劳动力务工受伤，收入骤减",
    "房屋墙体开裂，住房安全存疑",
]
