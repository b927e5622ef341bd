"""The three seed-story households (bangfu/demo/README.md, "The seed stories"), created through the registry's services.

Ages are counted back from `ctx.today` so the stories stay true whenever the demo is loaded: the
elder daughter is always at university, 吉石罗布 is always 25. Income that another module pays
(workshop payroll, the 洛宗 company, insurance claims) is left to that module's demo step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bangfu.demo.context import DemoContext
from bangfu.demo.domain.people import IdAllocator, birth_for, phone
from bangfu.registry import selectors as registry_selectors
from bangfu.registry import services as registry

SOURCE = "demo"


def load(ctx: DemoContext, ids: IdAllocator, b_grid: Any) -> None:
    site = registry.site_create(
        actor=None,
        area_code=ctx.areas["site_village"].code,
        name="雪口山乡易地扶贫搬迁集中安置点",
        kind="town",
        community="雪口山社区居委会",
        address="马边彝族自治县雪口山乡雪口山社区",
        planned_households=180,
        planned_people=790,
        completed_year=ctx.today.year - 2,
        services="社区服务站、幼儿园、卫生室；扶贫工厂步行约5分钟",
    )
    ctx.extra["A_site"] = site
    ctx.households["A"] = _story_a(ctx, ids, site)
    ctx.households["B"] = _story_b(ctx, ids, b_grid)
    ctx.households["C_sangding"] = _story_c(ctx, ids)


def _member(
    ctx: DemoContext,
    ids: IdAllocator,
    region: str,
    name: str,
    relation: str,
    age: int,
    sex: str,
    **fields: Any,
) -> dict[str, Any]:
    birth = birth_for(ctx.rng, ctx.today, age)
    return {
        "name": name,
        "relation": relation,
        "id_number": ids.allocate(ctx.rng, region, birth, sex),
        **fields,
    }


def _income(ctx: DemoContext, h: Any, year: int, lines: list[tuple[str, str, str, int | None]]) -> None:
    """(item, amount, note, member index) lines, keyed so a rerun replaces instead of adding."""
    members = list(h.members.all())
    for n, (item, amount, note, who) in enumerate(lines):
        registry.income_record(
            household_id=h.pk,
            year=year,
            item=item,
            amount=Decimal(amount),
            source=SOURCE,
            source_ref=f"story:{h.number}:{n}",
            member_id=members[who].pk if who is not None else None,
            note=note,
        )


def _story_b(ctx: DemoContext, ids: IdAllocator, grid: Any) -> Any:
    """颜世龙 of 永利村: exited 2018, wife a forest ranger, 20+ mu of maize and yard livestock."""
    r = "230225"
    h = registry.household_create(
        actor=None,
        village_code=ctx.areas["yongli"].code,
        grid_id=grid.pk,
        fields={
            "number": f"{ctx.areas['yongli'].code}0001",
            "address": "平阳镇永利村1组1号",
            "phone": phone(ctx.rng),
            "poverty_exited": True,
            "exit_year": 2018,
        },
        members=[
            _member(
                ctx,
                ids,
                r,
                "颜世龙",
                "户主",
                49,
                "M",
                education="初中",
                health="患有大病",
                labour="弱劳动力或半劳动力",
                employment="务农",
            ),
            _member(
                ctx,
                ids,
                r,
                "王淑芬",
                "配偶",
                47,
                "F",
                education="初中",
                employment="公益岗位",
                months_worked=12,
            ),
            _member(
                ctx,
                ids,
                r,
                "颜丽娜",
                "之女",
                19,
                "F",
                education="高中",
                in_school="本科",
                labour="无劳动力",
                employment="在校生",
            ),
            _member(
                ctx,
                ids,
                r,
                "颜丽雪",
                "之女",
                16,
                "F",
                education="初中",
                in_school="普通高中",
                labour="无劳动力",
                employment="在校生",
            ),
        ],
    )
    last, before = ctx.today.year - 1, ctx.today.year - 2
    for year, crops, crop_cost, stock, stock_cost in (
        (last, 24000, 9600, 9000, 3000),
        (before, 22500, 9200, 8000, 2800),
    ):
        _income(
            ctx,
            h,
            year,
            [
                ("wage.welfare_post", "5800", "生态护林员公益岗位", 1),
                ("business.crops", str(crops), "玉米24亩", None),
                ("cost.business", str(crop_cost), "种子、化肥、农机作业", None),
                ("business.livestock", str(stock), "庭院养殖（猪、鸡）", None),
                ("cost.business", str(stock_cost), "饲料、防疫", None),
                ("property.dividend", "600", "光伏扶贫电站收益分红", None),
                ("expense.out_of_pocket", "3000", "直肠癌术后复查自付部分", 0),
            ],
        )
    registry.guarantee_check_record(
        actor=None,
        household=h,
        checked_on=ctx.today - dt.timedelta(days=20),
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
        note="网格员周景财入户核查",
    )
    return h


def _story_a(ctx: DemoContext, ids: IdAllocator, site: Any) -> Any:
    """吉石罗布 (25) and his wife, of 羊店儿村, relocated to the site; both sew at the workshop."""
    r, village = "511133", ctx.areas["yangdianer"].code
    worker = {
        "labour": "技能劳动力",
        "employment": "务工",
        "work_place": "乡镇内",
        "months_worked": 12,
        "ethnicity": "彝族",
        "education": "初中",
    }
    h = registry.household_create(
        actor=None,
        village_code=village,
        fields={
            "number": f"{village}0001",
            "address": "雪口山乡雪口山社区安置点3栋2单元",
            "phone": phone(ctx.rng),
            "poverty_exited": True,
            "exit_year": 2020,
        },
        members=[
            _member(ctx, ids, r, "吉石罗布", "户主", 25, "M", **worker),
            _member(ctx, ids, r, "阿约阿呷", "配偶", 23, "F", **worker),
            _member(
                ctx,
                ids,
                r,
                "沙马么么",
                "之母",
                56,
                "F",
                ethnicity="彝族",
                education="文盲或半文盲",
                health="长期慢性病",
                labour="弱劳动力或半劳动力",
            ),
            _member(
                ctx,
                ids,
                r,
                "吉石阿牛",
                "之子",
                3,
                "M",
                ethnicity="彝族",
                education="学龄前儿童",
                in_school="学前教育",
                labour="无劳动力",
            ),
        ],
    )
    moved = ctx.today.replace(year=ctx.today.year - 2, month=6, day=15)
    registry.household_set_relocation(household=h, site=site, moved_on=moved, from_village=village)
    for year in (ctx.today.year - 1, ctx.today.year - 2):
        _income(ctx, h, year, [("transfer.eco_compensation", "420", "原住地退耕还林补助", None)])
    registry.guarantee_check_record(
        actor=None,
        household=h,
        checked_on=ctx.today - dt.timedelta(days=35),
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
        note="安置点入户核查",
    )
    return h


def _story_c(ctx: DemoContext, ids: IdAllocator) -> Any:
    """桑丁 of 孜托镇: packs biscuits at 洛宗; the company's pay is recorded by the market/employment step."""
    r, village = "540329", "540329100201"
    h = registry.household_create(
        actor=None,
        village_code=village,
        fields={
            "number": f"{village}0001",
            "address": "孜托镇孜托村2组",
            "phone": phone(ctx.rng),
            "poverty_exited": True,
            "exit_year": 2019,
        },
        members=[
            _member(
                ctx,
                ids,
                r,
                "桑丁",
                "户主",
                34,
                "M",
                ethnicity="藏族",
                education="小学",
                labour="技能劳动力",
                employment="务工",
                work_place="乡镇内",
                months_worked=12,
            ),
            _member(ctx, ids, r, "央金", "配偶", 32, "F", ethnicity="藏族", education="小学", employment="务农"),
            _member(
                ctx,
                ids,
                r,
                "扎西",
                "之子",
                10,
                "M",
                ethnicity="藏族",
                education="小学",
                in_school="小学",
                labour="无劳动力",
            ),
            _member(
                ctx,
                ids,
                r,
                "卓玛",
                "之母",
                62,
                "F",
                ethnicity="藏族",
                education="文盲或半文盲",
                labour="弱劳动力或半劳动力",
                employment="务农",
            ),
        ],
    )
    for year in (ctx.today.year - 1, ctx.today.year - 2):
        _income(
            ctx,
            h,
            year,
            [
                ("business.crops", "4200", "青稞6亩", None),
                ("cost.business", "1500", "种子、化肥", None),
                ("transfer.pension", "1800", "城乡居民基本养老金", 3),
                ("transfer.eco_compensation", "1200", "草原生态保护补助奖励", None),
            ],
        )
    registry.guarantee_check_record(
        actor=None,
        household=h,
        checked_on=ctx.today - dt.timedelta(days=50),
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
    )
    return h


def households_by_number(ctx: DemoContext, numbers: list[str]) -> dict[str, Any]:
    """Households just bulk-loaded, read back through the registry's selector as the demo admin."""
    qs = registry_selectors.households_visible(ctx.users["admin"]).filter(number__in=numbers)
    return {h.number: h for h in qs.prefetch_related("members")}
