"""The set-up checklist of a county: what a new county still lacks before it can work, step by step,
each computed from the database (never a stored tick) with links to the pages that do it.

Steps: areas and village codes → grids and grid workers → accounts → monitoring line and rule
parameters → working-day calendar → the 防贫保 scheme → employment parameters → first household import.
A county administrator (or anyone holding `configure` over a county) sees the checklist of their
counties; it is gone from the home page once every step is done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import selectors as accounts
from bangfu.accounts.domain.roles import Cap, Role
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.casework import selectors as casework
from bangfu.core.errors import ApplicationError
from bangfu.core.i18n import in_language
from bangfu.employment import selectors as employment
from bangfu.insurance import selectors as insurance
from bangfu.registry import selectors as registry
from bangfu.rules import selectors as rules

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.areas.models import Area, Grid

SHOWN = 5  # names listed in a "missing" line before "…and N more"


@dataclass(frozen=True)
class Link:
    zh: str
    en: str
    url: str


@dataclass
class Step:
    key: str
    zh: str
    en: str
    missing: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) of each gap
    links: list[Link] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.missing

    @property
    def gaps(self) -> list[str]:
        """What is missing, in the reader's language."""
        return [in_language(zh, en) for zh, en in self.missing]


@dataclass
class Checklist:
    county: Area | None
    steps: list[Step]

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.steps)

    @property
    def done_count(self) -> int:
        return sum(s.done for s in self.steps)


def _names(names: list[str]) -> str:
    shown = "、".join(names[:SHOWN])
    return shown + (f" 等{len(names)}个" if len(names) > SHOWN else "")


def _link(zh: str, en: str, name: str) -> Link:
    return Link(zh, en, reverse(name))


def counties_to_set_up(user: User) -> list[Area]:
    """The counties where the user holds `configure` (a county administrator's own; every county for
    a superuser)."""
    scope = areas.scope_for(user, Cap.CONFIGURE)
    if scope.empty:
        return []
    counties = areas.areas_visible(user, level=Level.COUNTY, cap=Cap.CONFIGURE)
    return [c for c in counties if scope.everything or any(c.code.startswith(p) for p in scope.prefixes)]


def checklists(user: User, on: dt.date | None = None) -> list[Checklist]:
    """One checklist per county the user sets up; for a superuser of an install without any county,
    one checklist whose first step asks for the area tree."""
    on = on or timezone.localdate()
    counties = counties_to_set_up(user)
    if not counties and user.is_superuser:
        step = Step("areas", "区划和村代码", "Areas and village codes")
        step.missing.append(("还没有任何县级区划", "No county yet"))
        step.links.append(_link("导入区划", "Import areas", "areas:import"))
        return [Checklist(None, [step])]
    return [checklist(user, c, on) for c in counties]


def checklist(user: User, county: Area, on: dt.date) -> Checklist:
    code = county.code
    inside = areas.under_code_q("code", county.prefix)
    townships = list(areas.areas_visible(user, level=Level.TOWNSHIP).filter(inside))
    villages = list(areas.areas_visible(user, level=Level.VILLAGE).filter(inside))
    grids = list(areas.grids_visible(user).filter(areas.under_code_q("village_id", county.prefix)))
    return Checklist(
        county,
        [
            _areas_step(townships, villages),
            _grids_step(villages, grids),
            _accounts_step(townships),
            _rules_step(code, on),
            _calendar_step(code, on),
            _scheme_step(user, code, on),
            _employment_step(code, on),
            _households_step(user, county),
        ],
    )


def _areas_step(townships: list[Area], villages: list[Area]) -> Step:
    step = Step("areas", "区划和村代码", "Areas and village codes")
    step.links = [_link("导入区划", "Import areas", "areas:import"), _link("区划树", "Area tree", "areas:tree")]
    if not townships:
        step.missing.append(("还没有乡镇", "No township yet"))
    if not villages:
        step.missing.append(("还没有村(社区)", "No village or community yet"))
    with_villages = {v.code[:9] for v in villages}
    empty = [t.name for t in townships if t.code[:9] not in with_villages]
    if villages and empty:
        step.missing.append((f"乡镇{_names(empty)}下还没有村", f"{len(empty)} townships have no village yet"))
    return step


def _grids_step(villages: list[Area], grids: list[Grid]) -> Step:
    step = Step("grids", "网格和网格员", "Grids and grid workers")
    step.links = [
        _link("导入网格", "Import grids", "areas:grid_import"),
        _link("网格划分和交接", "Place households, hand grids over", "casework:grid_villages"),
    ]
    with_grid = {g.village_id for g in grids}
    bare = [v.name for v in villages if v.code not in with_grid]
    if not grids:
        step.missing.append(("还没有网格", "No grid yet"))
    elif bare:
        step.missing.append((f"村{_names(bare)}还没有网格", f"{len(bare)} villages have no grid yet"))
    vacant = [g.name for g in grids if g.worker_id is None]
    if vacant:
        step.missing.append(
            (
                f"网格{_names(vacant)}还没有网格员（先导入网格员账号，再在网格文件或网格页面指定）",
                f"{len(vacant)} grids have no grid worker (import their accounts, then name them in the grid file "
                "or on the grid page)",
            )
        )
    return step


def _accounts_step(townships: list[Area]) -> Step:
    step = Step("accounts", "账号", "Accounts")
    step.links = [
        _link("批量导入账号", "Import accounts", "accounts:people_import"),
        _link("账号管理", "Accounts", "accounts:people"),
    ]
    if not townships:
        step.missing.append(("先导入乡镇，再为乡镇干部开设账号", "Import the townships first, then their officers"))
        return step
    staffed = {m for m in accounts.codes_with_role(Role.TOWNSHIP_OFFICER, [t.code for t in townships])}
    without = [t.name for t in townships if t.code not in staffed]
    if without:
        step.missing.append(
            (f"乡镇{_names(without)}还没有乡镇干部账号", f"{len(without)} townships have no township officer account")
        )
    return step


def _rules_step(code: str, on: dt.date) -> Step:
    step = Step("rules", "监测线和规则参数", "Monitoring line and rule parameters")
    step.links = [
        _link("预警规则和监测线", "Rules and monitoring line", "rules:ruleset_list"),
        _link("监测程序参数", "Procedure parameters", "casework:config"),
    ]
    if rules.ruleset_for_village(code, on) is None:
        step.missing.append(
            ("没有生效的预警规则：新建草稿并发布", "No warning rules in force: create a draft and publish it")
        )
    if code not in rules.lines_for([code], on.year):
        step.missing.append((f"没有{on.year}年的监测线", f"No monitoring line for {on.year}"))
    if casework.params_in_force(code, on) is None:
        step.missing.append(
            ("没有监测程序参数（时限、公示天数等）", "No procedure parameters (deadlines, notice days…)")
        )
    return step


def _calendar_step(code: str, on: dt.date) -> Step:
    step = Step("calendar", "工作日历", "Working-day calendar")
    step.links = [_link("节假日和调休", "Holidays and make-up days", "casework:config")]
    holidays, _ = casework.calendar_for(code)
    if not any(d.year == on.year for d in holidays):
        step.missing.append(
            (
                f"{on.year}年没有节假日：请录入本地节假日，或由系统管理员运行 bangfu calendar_national",
                f"No holidays in {on.year}: enter them, or have the system administrator run bangfu calendar_national",
            )
        )
    return step


def _scheme_step(user: User, code: str, on: dt.date) -> Step:
    step = Step("scheme", "防贫保方案", "The poverty-prevention insurance scheme")
    step.links = [
        _link("新建方案", "New scheme", "insurance:scheme_new"),
        _link("方案", "Schemes", "insurance:scheme_list"),
    ]
    scheme = insurance.schemes_visible(user).filter(county__code=code, year=on.year).first()
    if scheme is None:
        step.missing.append((f"没有{on.year}年的防贫保方案", f"No poverty-prevention insurance scheme for {on.year}"))
    elif not insurance.terms_of(scheme):
        step.missing.append(
            (f"{scheme.name}还没有赔付标准（起付线、分档比例）", f"{scheme.name} has no payout terms yet")
        )
        step.links.insert(
            0, Link("设置赔付标准", "Set the terms", reverse("insurance:scheme_detail", args=[scheme.pk]))
        )
    return step


def _employment_step(code: str, on: dt.date) -> Step:
    step = Step("employment", "就业帮扶参数", "Employment parameters")
    step.links = [_link("就业帮扶参数", "Employment parameters", "employment:parameters")]
    try:
        employment.policies_in_force([code], on)
    except ApplicationError:
        step.missing.append(
            (
                "没有生效的就业帮扶参数（认定标准、劳动年龄等）",
                "No employment parameters in force (criteria, working age…)",
            )
        )
    return step


def _households_step(user: User, county: Area) -> Step:
    step = Step("households", "首次导入农户", "First household import")
    step.links = [
        _link("Excel导入农户", "Import households", "registry:import"),
        _link("农户", "Households", "registry:household_list"),
    ]
    if not registry.households_visible(user).filter(areas.under_code_q("village_id", county.prefix)).exists():
        step.missing.append(("还没有农户", "No household yet"))
    return step
