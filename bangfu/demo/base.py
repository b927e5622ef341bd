"""The demo base: area trees, users, the synthetic county and the households of the seed stories.

Story households go through the registry's services (as a user would create them); the thousands
of synthetic households go through the registry's bulk path, which keeps the same invariants.
Everything is drawn from `ctx.rng`, so the same seed gives the same county.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import ROLE_LABELS, Role
from bangfu.areas import selectors as area_selectors
from bangfu.areas import services as area_services
from bangfu.core.errors import Conflict
from bangfu.core.services import audit_record
from bangfu.demo import selectors, services, stories
from bangfu.demo.context import DemoContext
from bangfu.demo.domain import names
from bangfu.demo.domain.households import household
from bangfu.demo.domain.people import IdAllocator, Profile, Synth
from bangfu.demo.domain.places import COUNTIES, GANNAN
from bangfu.registry import bulk

GRID_SIZE = 30  # households per grid, as in the article (about 30 per grid worker)
GANNAN_PROFILE = Profile(culture="han", ethnicity="汉族", region="230225", poor_share=0.55, farm_mu=(15, 40))
MABIAN_PROFILE = Profile(culture="yi", ethnicity="彝族", region="511133", poor_share=0.8, farm_mu=(2, 6))
LUOLONG_PROFILE = Profile(culture="tibetan", ethnicity="藏族", region="540329", poor_share=0.7, farm_mu=(3, 8))


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role | None  # None: superuser
    area_code: str
    organisation: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "系统管理员", None, "230225000000"),
    DemoUser("gannan_admin", "王建国", Role.COUNTY_ADMIN, "230225000000", "甘南县乡村振兴局"),
    DemoUser("gannan_township", "刘志强", Role.TOWNSHIP_OFFICER, "230225102000"),
    DemoUser("gannan_village", "李春生", Role.VILLAGE_CADRE, "230225102201"),
    DemoUser("zhoujingcai", "周景财", Role.GRID_WORKER, "230225102201"),
    DemoUser("gannan_edu", "张丽华", Role.DEPT_OFFICER, "230225000000", "教育"),
    DemoUser("gannan_med", "孙秀梅", Role.DEPT_OFFICER, "230225000000", "医保"),
    DemoUser("gannan_insurer", "赵明", Role.INSURER, "230225000000", "中国太保"),
    DemoUser("gannan_enterprise", "陈玉兰", Role.ENTERPRISE, "230225000000", "甘南县禾丰农产品有限公司"),
    DemoUser("gannan_auditor", "吴德成", Role.AUDITOR, "230225000000"),
    DemoUser("mabian_admin", "阿约拉者", Role.COUNTY_ADMIN, "511133000000", "马边彝族自治县乡村振兴局"),
    DemoUser("mabian_factory", "沙马金花", Role.ENTERPRISE, "511133203000", "马边雪口山针纺工艺有限公司"),
    DemoUser("luolong_admin", "次仁多吉", Role.COUNTY_ADMIN, "540329000000", "洛隆县乡村振兴局"),
    DemoUser("luolong_company", "泽仁顿珠", Role.ENTERPRISE, "540329000000", "洛隆县洛宗特色产品开发公司"),
)
YONGLI = "230225102201"


def already_loaded() -> bool:
    return area_selectors.area_by_code(GANNAN.chain[-1][0]) is not None


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, area name) of every demo account, including other apps' ones."""
    return selectors.demo_logins()


def load(ctx: DemoContext, households: int) -> None:
    """Build the demo base into `ctx` (see bangfu/demo/context.py for the keys it fills)."""
    if already_loaded():
        raise Conflict("演示数据已加载", "The demo data is already loaded", "demo_loaded")
    _areas(ctx)
    _users(ctx)
    ids = IdAllocator()
    ctx.extra["B_grid"] = _grid(ctx, YONGLI, 1, ctx.users["zhoujingcai"])
    stories.load(ctx, ids, ctx.extra["B_grid"])  # the story households, through the registry services
    _gannan(ctx, ids, households)
    _mabian(ctx, ids)
    _luolong(ctx, ids)
    services.logins_save(logins=ctx.logins)
    audit_record(actor=None, action="demo_load", obj=ctx.areas["gannan"], data={"households": households})


def _areas(ctx: DemoContext) -> None:
    for county in COUNTIES:
        parent = None
        for code, name in county.chain:
            parent = _area(ctx, code, name, parent)
        for t in county.townships:
            _area(ctx, t.code, t.name, county.chain[-1][0])
            for code, name in t.villages:
                _area(ctx, code, name, t.code)
    keys = {
        "gannan": "230225000000",
        "yongli": YONGLI,
        "mabian": "511133000000",
        "xuekoushan": "511133203000",
        "yangdianer": "511133203201",
        "liming": "511133203202",
        "site_village": "511133203001",
        "luolong": "540329000000",
        "luolong_town": "540329100000",
    }
    for key, code in keys.items():
        ctx.areas[key] = ctx.areas[code]


def _area(ctx: DemoContext, code: str, name: str, parent: str | None) -> str:
    """Create the area unless it exists (a test county may already hold some of these codes)."""
    area = area_selectors.area_by_code(code) or area_services.area_create(code=code, name=name, parent_code=parent)
    ctx.areas[code] = area
    return code


def _users(ctx: DemoContext) -> None:
    password = settings.BANGFU_DEMO_PASSWORD
    for u in DEMO_USERS:
        area = ctx.areas[u.area_code]
        if u.role is None:
            user = get_user_model().objects.create_superuser(u.username, password=password, display_name=u.display_name)
            audit_record(actor=None, action="user_create", obj=user, data={"superuser": True})
            label = "超级管理员"
        else:
            user = accounts.user_create(username=u.username, password=password, display_name=u.display_name)
            accounts.membership_grant(user=user, role=u.role, area_code=u.area_code, organisation=u.organisation)
            label = ROLE_LABELS[u.role] + (f"（{u.organisation}）" if u.organisation else "")
        ctx.users[u.username] = user
        ctx.logins.append((u.username, label, area.name))


def _grid_workers(ctx: DemoContext, count: int, rng: random.Random | None = None) -> list[Any]:
    """Grid worker accounts (gw001, gw002, … after those already made) in one insert, sharing one
    argon2 hash of the demo password.

    Hashing costs about 0.12 s per password here; 200 workers one by one would add half a minute
    to every demo load. They all know the same published demo password anyway.
    """
    user_model = get_user_model()
    digest = make_password(settings.BANGFU_DEMO_PASSWORD)
    rng = rng or ctx.rng
    first = ctx.extra.get("grid_workers", 0)
    ctx.extra["grid_workers"] = first + count
    people = [
        user_model(username=f"gw{first + i + 1:03d}", password=digest, display_name=names.han(rng, rng.choice("MMF")))
        for i in range(count)
    ]
    created = user_model.objects.bulk_create(people)
    audit_record(
        actor=None,
        action="user_bulk_create",
        obj=created[0] if created else user_model(),
        data={"users": len(created), "role": Role.GRID_WORKER.value},
    )
    return created


def _gannan(ctx: DemoContext, ids: IdAllocator, total: int) -> None:
    """~`total` households spread over the villages, in grids of about 30 with a worker each."""
    villages = [code for t in GANNAN.townships for code, _ in t.villages]
    per_village = [total // len(villages) + (1 if i < total % len(villages) else 0) for i in range(len(villages))]
    grid_counts = [max(1, math.ceil(n / GRID_SIZE)) for n in per_village]
    yongli_index = villages.index(YONGLI)
    workers = iter(_grid_workers(ctx, sum(grid_counts) - 1))  # 周景财 is the first grid of 永利村
    rows: list[bulk.HouseholdRow] = []
    for village, n, grids in zip(villages, per_village, grid_counts, strict=True):
        grid_ids = []
        for g in range(grids):
            if village == YONGLI and g == 0:
                grid_ids.append(ctx.extra["B_grid"].pk)
            else:
                grid_ids.append(_grid(ctx, village, g + 1, next(workers)).pk)
        # 颜世龙's household is already in 周景财's grid; that grid gets one synthetic household fewer.
        skip = 1 if villages.index(village) == yongli_index else 0
        for i in range(skip, n):
            synth = household(ctx.rng, GANNAN_PROFILE, ctx.today, ids)
            rows.append(_row(ctx, synth, village, grid_ids[min(i // GRID_SIZE, grids - 1)], i + 1))
    bulk.households_bulk_create(rows=rows, source="demo")


def _village_grids(ctx: DemoContext, villages: list[str]) -> dict[str, int]:
    """One grid with its worker per village (these villages have a few dozen households each).

    The workers' names come from their own generator, so the synthetic households that follow get the
    same random numbers as before the grids existed.
    """
    workers = _grid_workers(ctx, len(villages), random.Random(villages[0]))
    return {v: _grid(ctx, v, 1, w).pk for v, w in zip(villages, workers, strict=True)}


def _grid(ctx: DemoContext, village: str, n: int, worker: Any) -> Any:
    name = ctx.areas[village].name
    grid = area_services.grid_create(
        village_code=village, code=f"{village}-{n:02d}", name=f"{name}第{n}网格", worker=worker
    )
    accounts.membership_grant(user=worker, role=Role.GRID_WORKER, area_code=village)
    ctx.extra.setdefault("grids", {})[grid.code] = grid
    return grid


def _row(
    ctx: DemoContext,
    s: Synth,
    village: str,
    grid_id: int | None,
    seq: int,
    *,
    relocated: dict[str, Any] | None = None,
) -> bulk.HouseholdRow:
    """The registry's bulk row for one synthetic household."""
    area = ctx.areas[village]
    head = s.members[0]
    since = ctx.today - dt.timedelta(days=365 * 3)
    extra: dict[str, Any] = {
        "monitoring_type": s.monitoring_type,
        "risk_codes": list(s.risk_codes),
        "monitoring_since": ctx.today - dt.timedelta(days=s.monitoring_days_ago) if s.monitoring_type else None,
        "dibao_since": since if s.dibao else None,
        "tekun_since": since if s.tekun else None,
        "no_labour_since": since if s.no_labour else None,
    }
    if relocated:
        extra.update(relocated)
    housing, school, medical, water = s.guarantee
    return bulk.HouseholdRow(
        village_code=village,
        grid_id=grid_id,
        fields={
            "number": f"{village}{seq:04d}",
            "address": f"{area.name}{(seq - 1) // 40 + 1}组{seq}号",
            "phone": head.phone,
            "poverty_exited": s.poverty_exited,
            "exit_year": s.exit_year,
            "dibao": s.dibao,
            "tekun": s.tekun,
            "relocated": bool(relocated),
            "no_labour": s.no_labour,
        },
        members=[m.fields() for m in s.members],
        extra=extra,
        statements={
            year: [bulk.IncomeLine(ln.item, ln.amount, ln.member) for ln in lines]
            for year, lines in s.statements.items()
        },
        guarantee=bulk.GuaranteeRow(
            checked_on=ctx.today - dt.timedelta(days=ctx.rng.randint(7, 180)),
            housing_safe=housing,
            schooling_ok=school,
            medical_ok=medical,
            water_safe=water,
        ),
    )


def _mabian(ctx: DemoContext, ids: IdAllocator) -> None:
    """雪口山乡: ~120 poor households with a member at the workshop, and 黎明村's relocated households."""
    site = ctx.extra["A_site"]
    moved = ctx.today.replace(year=ctx.today.year - 2, month=6, day=15)
    rows: list[bulk.HouseholdRow] = []
    origins = [
        "511133203201",
        "511133203203",
        "511133203204",
        "511133203205",
    ]  # 羊店儿村 and other poor villages
    seq = {code: 1 for code in [*origins, "511133203202"]}
    seq["511133203201"] = 2  # 吉石罗布's household holds number 0001 of 羊店儿村
    grids = _village_grids(ctx, [*origins, "511133203202"])
    workers: list[tuple[int, int]] = []  # (row index, member index)
    for i in range(119):
        village = origins[i % len(origins)]
        synth = household(ctx.rng, MABIAN_PROFILE, ctx.today, ids, workshop_worker=True, poor=True)
        reloc = (
            {"relocation_site_id": site.pk, "relocated_on": moved, "relocated_from_id": village} if i % 3 != 2 else None
        )  # two in three moved to the site; the rest live in their villages
        workers.append((len(rows), synth.workshop_worker or 0))
        rows.append(_row(ctx, synth, village, grids[village], seq[village], relocated=reloc))
        seq[village] += 1
    liming: list[int] = []
    for i in range(60):
        relocated = i < 24
        synth = household(ctx.rng, MABIAN_PROFILE, ctx.today, ids, poor=relocated or None)
        reloc = (
            {"relocation_site_id": site.pk, "relocated_on": moved, "relocated_from_id": "511133203202"}
            if relocated
            else None
        )
        if relocated:
            liming.append(len(rows))
        rows.append(_row(ctx, synth, "511133203202", grids["511133203202"], seq["511133203202"], relocated=reloc))
        seq["511133203202"] += 1
    bulk.households_bulk_create(rows=rows, source="demo")
    found = stories.households_by_number(ctx, [r.fields["number"] for r in rows])
    a = ctx.households["A"]
    ctx.extra["A_workers"] = [a] + [found[rows[i].fields["number"]] for i, _ in workers]
    ctx.extra["A_worker_members"] = list(a.members.all()[:2]) + [
        list(found[rows[i].fields["number"]].members.all())[m] for i, m in workers
    ]
    ctx.extra["liming_relocated"] = [found[rows[i].fields["number"]] for i in liming]


def _luolong(ctx: DemoContext, ids: IdAllocator) -> None:
    """35 registered poor households working for 洛宗 (桑丁's included) and their neighbours."""
    villages = ["540329100201", "540329100202", "540329100203", "540329100204"]
    seq = {v: 1 for v in villages}
    seq[villages[0]] = 2  # 桑丁's household holds number 0001
    grids = _village_grids(ctx, villages)
    rows: list[bulk.HouseholdRow] = []
    linked: list[int] = []
    for i in range(34 + 66):
        village = villages[i % len(villages)]
        synth = household(ctx.rng, LUOLONG_PROFILE, ctx.today, ids, poor=True if i < 34 else None)
        if i < 34:
            linked.append(len(rows))
        rows.append(_row(ctx, synth, village, grids[village], seq[village]))
        seq[village] += 1
    bulk.households_bulk_create(rows=rows, source="demo")
    found = stories.households_by_number(ctx, [rows[i].fields["number"] for i in linked])
    ctx.extra["C_linked"] = [ctx.households["C_sangding"]] + [found[rows[i].fields["number"]] for i in linked]
