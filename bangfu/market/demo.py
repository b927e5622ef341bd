"""Demo data of the market module: story C end to end, through the services (see bangfu/demo/context.py).

洛隆县洛宗特色产品开发公司, led by 泽仁顿珠, supported by 福建's aid-to-Tibet team: six highland-barley
products priced per jin (青稞 products near 20 yuan), about 5,000+ jin of 水磨糌粑 a day, the 2019
Double-11 fair in 洛隆, 昌都, 拉萨 and 成都 (257,400 yuan online plus offline), 2019 output value
6.23 million and profit 1.62 million, and 35 registered poor households each paid more than 30,000
yuan in 2019, which lands in their income statements. Plus a modest synthetic trade around it:
counter and online sales, livestreams, canteen buyers with targets and orders in each state.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.core.domain.credit_code import make
from bangfu.demo.context import DemoContext
from bangfu.market import services
from bangfu.market.domain.codes import ParamKey

CREDIT_CODE = make("91", "540329", "MA6T2LW0Q")  # fictitious, format-valid
SCHOOL_CODE = make("12", "540329", "MB1C0L4Y2")  # 洛隆县中学 (事业单位), fictitious: its buyer account orders itself
STORY_YEAR = 2019
# name → (category, price per jin in force since 2019-03, earlier price per jin since 2017)
PRODUCTS = {
    "炒青稞": ("粮油", "19.80", "8.00"),
    "水磨糌粑": ("粮油", "18.00", "6.00"),
    "糌粑饼干": ("休闲食品", "22.00", "15.00"),
    "青稞挂面": ("粮油", "16.00", "9.00"),
    "青稞糕点": ("糕点", "26.00", "18.00"),
    "米汉堡": ("休闲食品", "24.00", "16.00"),
}
# The Double-11 fair, 2019-11-11: place → [(product, jin)]; amounts are jin × the price of the day.
DOUBLE11 = {
    "洛隆": [("炒青稞", 600), ("水磨糌粑", 1200), ("糌粑饼干", 300)],
    "昌都": [("水磨糌粑", 1500), ("青稞挂面", 800), ("青稞糕点", 400)],
    "拉萨": [("水磨糌粑", 1800), ("炒青稞", 900), ("米汉堡", 500), ("糌粑饼干", 400)],
    "成都": [("炒青稞", 1000), ("青稞糕点", 600), ("水磨糌粑", 1000)],
}
DOUBLE11_ONLINE = [("水磨糌粑", 1200), ("炒青稞", 500), ("糌粑饼干", 400), ("青稞挂面", 150)]
# Products applied for lately: name → (category, price per jin, where the application stands).
APPLICATIONS = {
    "青稞酒": ("酒类", "45.00", "applied"),
    "牦牛肉干": ("肉制品", "120.00", "township_ok"),
    "青稞麦片": ("冲调食品", "28.00", "sector_ok"),
    "酥油茶粉": ("冲调食品", "38.00", "returned"),
}
# The offices of the certification steps in 洛隆 (username, name, role, area, organisation).
REVIEWERS = (
    ("luolong_township", "格桑卓玛", Role.TOWNSHIP_OFFICER, "town", "", "乡镇干部（镇办初审）"),
    ("luolong_agri", "扎西平措", Role.DEPT_OFFICER, "county", "农业农村局", "部门数据专员（农业农村局，行业复审）"),
)
YEARS = {  # reported output value, revenue, profit (yuan)
    2018: ("4150000", "3620000", "960000"),
    2019: ("6230000", "5480000", "1620000"),
}


def load(ctx: DemoContext) -> None:
    county, town = ctx.areas["luolong"].code, ctx.areas["luolong_town"].code
    _parameters(county)
    company = services.enterprise_create(
        actor=None,
        name="洛隆县洛宗特色产品开发公司",
        kind="company",
        credit_code=CREDIT_CODE,
        area_code=town,
        leader="泽仁顿珠",
        address="洛隆县孜托镇",
        description="由只做水磨糌粑的作坊发展为生产炒青稞、水磨糌粑、糌粑饼干、青稞挂面、青稞糕点、米汉堡的企业。",
    )
    _owner(ctx, county)
    services.counterpart_link_add(
        actor=None,
        enterprise=company,
        partner="福建省援藏工作队",
        partner_province="福建",
        kind="对口援藏",
        start=dt.date(2016, 7, 1),
        support="帮助产品进入沿海城市商超专柜，联合举办双十一展销会",
    )
    for year, (output, revenue, profit) in YEARS.items():
        services.enterprise_year_set(
            actor=None,
            enterprise=company,
            year=year,
            output_value=Decimal(output),
            revenue=Decimal(revenue),
            profit=Decimal(profit),
        )
    products = _products(ctx, company)
    _production(ctx, products)
    _double11(company, products)
    _trade(ctx, products)
    _households(ctx, company)
    _buyers(ctx, county, products)


def _parameters(county: str) -> None:
    # Certification validity was 24 months at first and 36 months from 2023 (demo configuration).
    for start, months in ((dt.date(2019, 1, 1), 24), (dt.date(2023, 1, 1), 36)):
        services.parameter_set(
            actor=None, area_code=county, key=ParamKey.CERT_VALIDITY_MONTHS, value=Decimal(months), effective_from=start
        )
    services.parameter_set(
        actor=None,
        area_code=county,
        key=ParamKey.PROCUREMENT_SHARE,
        value=Decimal("0.10"),
        effective_from=dt.date(2022, 1, 1),
    )


def _owner(ctx: DemoContext, county: str) -> None:
    """The base made 泽仁顿珠's account; this membership names the company by its credit code."""
    user = ctx.users.get("luolong_company")
    if user is None:
        user = accounts.user_create(
            username="luolong_company", password=settings.BANGFU_DEMO_PASSWORD, display_name="泽仁顿珠"
        )
        ctx.users["luolong_company"] = user
        ctx.logins.append(("luolong_company", "企业用户（洛宗公司）", "洛隆县"))
    accounts.membership_grant(user=user, role=Role.ENTERPRISE, area_code=county, organisation=CREDIT_CODE)


def _buyer_account(ctx: DemoContext, county: str) -> None:
    """The school canteen's own account (buyer self-service): it orders from the catalogue itself and the
    company confirms; the membership names the school's credit code, as an enterprise user's does."""
    user = accounts.user_create(
        username="luolong_canteen", password=settings.BANGFU_DEMO_PASSWORD, display_name="次仁央宗"
    )
    accounts.membership_grant(user=user, role=Role.ENTERPRISE, area_code=county, organisation=SCHOOL_CODE)
    ctx.users["luolong_canteen"] = user
    ctx.logins.append(("luolong_canteen", "采购单位（洛隆县中学食堂）", "洛隆县"))


def _products(ctx: DemoContext, company: Any) -> dict[str, Any]:
    people = _reviewers(ctx)
    out: dict[str, Any] = {}
    for name, (category, price, old) in PRODUCTS.items():
        p = services.product_create(
            actor=None,
            enterprise=company,
            name=name,
            category=category,
            unit="jin",
            price=Decimal(old),
            price_from=dt.date(2017, 1, 1),
            spec="散装/袋装",
        )
        services.price_set(
            actor=None, product=p, price=Decimal(price), effective_from=dt.date(2019, 3, 1), note="品牌化包装后调价"
        )
        first = _apply(people, p, dt.date(2019, 2, 20))
        _walk(people, first, "certified", dt.date(2019, 3, 1), number=f"洛扶认〔2019〕{len(out) + 1:02d}号")
        again = ctx.today - dt.timedelta(days=380)  # renewed after the first period ran out
        renewal = _apply(people, p, again - dt.timedelta(days=15))
        _walk(people, renewal, "certified", again, number=f"洛扶认〔{again.year}〕{len(out) + 11:02d}号")
        out[name] = p
    _applications(ctx, people, company)
    return out


def _reviewers(ctx: DemoContext) -> dict[str, Any]:
    """Who takes each certification step in 洛隆: the company, 孜托镇's officer (first review), the county
    agriculture bureau's officer (sector review) and the county administrator (decision). The base has
    no township or bureau account in 洛隆, so this step makes them (like the company's membership)."""
    town, county = ctx.areas["luolong_town"].code, ctx.areas["luolong"].code
    for username, display, role, area, organisation, label in REVIEWERS:
        if username not in ctx.users:
            user = accounts.user_create(username=username, password=settings.BANGFU_DEMO_PASSWORD, display_name=display)
            accounts.membership_grant(
                user=user, role=role, area_code=town if area == "town" else county, organisation=organisation
            )
            ctx.users[username] = user
            ctx.logins.append((username, label, "孜托镇" if area == "town" else "洛隆县"))
    return {
        "enterprise": ctx.users["luolong_company"],
        "township": ctx.users["luolong_township"],
        "sector": ctx.users["luolong_agri"],
        "county": ctx.users.get("luolong_admin"),
    }


def _apply(people: dict[str, Any], product: Any, on: dt.date) -> Any:
    return services.certification_apply(actor=people["enterprise"], product=product, applied_on=on)


# The steps up to where an application stands: (action, who, sector chosen, opinion or reason).
TOWNSHIP_PASS = ("pass", "township", "agriculture", "材料齐全，原料来自本镇农户")
SECTOR_PASS = ("pass", "sector", "", "质量检测合格，联农带农机制真实")
STEPS_TO = {
    "applied": [],
    "township_ok": [TOWNSHIP_PASS],
    "sector_ok": [TOWNSHIP_PASS, SECTOR_PASS],
    "certified": [TOWNSHIP_PASS, SECTOR_PASS, ("certify", "county", "", "")],
    "returned": [TOWNSHIP_PASS, ("return", "sector", "", "请补充与农户的原料收购协议和带动农户名单")],
}


def _walk(people: dict[str, Any], c: Any, upto: str, on: dt.date, number: str = "") -> None:
    for action, who, sector, note in STEPS_TO[upto]:
        services.certification_decide(
            actor=people[who], certification=c, decision=action, on=on, number=number, note=note, sector=sector
        )


def _applications(ctx: DemoContext, people: dict[str, Any], company: Any) -> None:
    """New products whose applications stand at each step, so every office has something in its queue."""
    for back, (name, (category, price, upto)) in enumerate(APPLICATIONS.items(), start=1):
        p = services.product_create(
            actor=None,
            enterprise=company,
            name=name,
            category=category,
            unit="jin",
            price=Decimal(price),
            price_from=ctx.today - dt.timedelta(days=60),
        )
        c = _apply(people, p, ctx.today - dt.timedelta(days=10 * back))
        _walk(people, c, upto, ctx.today)


def _production(ctx: DemoContext, products: dict[str, Any]) -> None:
    """The last 60 days: 5,000–5,600 jin of 水磨糌粑 a day, smaller runs of the rest."""
    for back in range(60, 0, -1):
        day = ctx.today - dt.timedelta(days=back)
        services.production_record(
            actor=None, product=products["水磨糌粑"], day=day, quantity=Decimal(ctx.rng.randrange(5000, 5601, 10))
        )
        for name in ("炒青稞", "糌粑饼干", "青稞挂面"):
            if back % 2 == 0:
                services.production_record(
                    actor=None, product=products[name], day=day, quantity=Decimal(ctx.rng.randrange(300, 1201, 10))
                )


def _double11(company: Any, products: dict[str, Any]) -> None:
    day = dt.date(STORY_YEAR, 11, 11)
    fair = services.sales_event_create(
        actor=None, enterprise=company, name="2019双十一青稞产品联合展销会", start=day, end=day, places=list(DOUBLE11)
    )
    for place, lines in DOUBLE11.items():
        for name, jin in lines:
            _sell(products[name], day, "fair", jin, place=place, event=fair)
    for name, jin in DOUBLE11_ONLINE:
        _sell(products[name], day, "online_shop", jin, platform="洛宗特产网店", event=fair)


def _sell(product: Any, day: dt.date, channel: str, jin: int, *, from_stock: bool = False, **kw: Any) -> None:
    price = Decimal(PRODUCTS[product.name][1])
    services.sale_record(
        actor=None,
        product=product,
        day=day,
        channel=channel,
        quantity=Decimal(jin),
        amount=price * jin,
        from_stock=from_stock,
        **kw,
    )


def _trade(ctx: DemoContext, products: dict[str, Any]) -> None:
    """2019 counter sales in 福建 and online, and recent livestreams sold out of today's stock."""
    names = list(products)
    for month in range(1, 13):
        day = dt.date(STORY_YEAR, month, 15)
        for place in ("厦门专柜", "福州专柜"):
            _sell(products[ctx.rng.choice(names)], day, "counter", ctx.rng.randrange(600, 1500, 10), place=place)
        _sell(
            products[ctx.rng.choice(names)],
            day,
            "online_shop",
            ctx.rng.randrange(300, 900, 10),
            platform="洛宗特产网店",
        )
    for back in range(50, 0, -7):
        day = ctx.today - dt.timedelta(days=back)
        for platform in ("抖音", "淘宝"):
            _sell(
                products[ctx.rng.choice(["炒青稞", "水磨糌粑", "糌粑饼干"])],
                day,
                "livestream",
                ctx.rng.randrange(100, 400, 10),
                from_stock=True,
                platform=platform,
            )


def _households(ctx: DemoContext, company: Any) -> None:
    """The 35 households: monthly wages in 2019 of 2,600–3,000 yuan, and barley bought from ten of them."""
    linked = ctx.extra["C_linked"]
    for i, household in enumerate(linked):
        services.household_link_create(
            actor=None,
            enterprise=company,
            household_id=household.pk,
            kind="employment",
            start=dt.date(2018, 3, 1),
            note="包装、生产工人",
        )
        wage = Decimal(ctx.rng.randrange(2600, 3001, 10))
        for month in range(1, 13):
            services.payment_record(
                actor=None,
                enterprise=company,
                household_id=household.pk,
                kind="wage",
                amount=wage,
                paid_on=dt.date(STORY_YEAR, month, 28),
                note="月工资",
            )
        if i % 35 < 10:
            services.household_link_create(
                actor=None,
                enterprise=company,
                household_id=household.pk,
                kind="produce_purchase",
                start=dt.date(2019, 8, 1),
                note="收购青稞",
            )
            services.payment_record(
                actor=None,
                enterprise=company,
                household_id=household.pk,
                kind="produce",
                amount=Decimal(ctx.rng.randrange(1500, 4001, 50)),
                paid_on=dt.date(STORY_YEAR, 9, 20),
                note="青稞收购款",
            )


def _buyers(ctx: DemoContext, county: str, products: dict[str, Any]) -> None:
    """Two canteens and a union; this year's targets; orders in several states."""
    canteen = services.buyer_create(
        actor=None, name="洛隆县机关事务服务中心食堂", kind="canteen", area_code=county, contact="后勤科"
    )
    school = services.buyer_create(
        actor=None, name="洛隆县中学食堂", kind="canteen", area_code=county, contact="总务处", credit_code=SCHOOL_CODE
    )
    _buyer_account(ctx, county)
    services.buyer_create(actor=None, name="洛隆县总工会", kind="union", area_code=county, has_canteen=False)
    year = ctx.today.year
    services.target_set(actor=None, buyer=canteen, year=year, canteen_purchases=Decimal("1200000"))
    services.target_set(actor=None, buyer=school, year=year, canteen_purchases=Decimal("800000"))
    zanba, noodles = products["水磨糌粑"], products["青稞挂面"]
    steps = {"settled": ["confirm", "ship", "receive", "settle"], "shipped": ["confirm", "ship"], "placed": []}
    for buyer, qty, state in (
        (canteen, 2000, "settled"),
        (school, 1500, "settled"),
        (canteen, 800, "shipped"),
        (school, 500, "placed"),
    ):
        order = services.order_place(
            actor=None, buyer=buyer, lines=[(zanba, Decimal(qty)), (noodles, Decimal(qty // 5))]
        )
        for event in steps[state]:
            services.order_transition(
                actor=None, order=order, event=event, note="抽检合格" if event == "receive" else ""
            )
