"""Account administration rules (pure): which roles an administrator may grant, at which area level a
role is held, when a membership is in force, and what each capability means in Chinese.

Role ordering (`ROLE_RANK`): an administrator grants only roles at or below their own rank, and only
those their administering role covers (`ADMINISTERS`). A county administrator administers every role
of the county; a township officer administers village cadres and grid workers of the township, and only
while the county's account policy allows it (`township_may_administer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bangfu.accounts.domain.roles import ROLE_LABELS, Cap, Role
from bangfu.areas.domain.codes import Level
from bangfu.core.domain.text import gettext_noop
from bangfu.core.errors import Forbidden

ROLE_RANK: dict[Role, int] = {
    Role.COUNTY_ADMIN: 4,
    Role.AUDITOR: 3,
    Role.DEPT_OFFICER: 3,
    Role.INSURER: 3,
    Role.TOWNSHIP_OFFICER: 3,
    Role.VILLAGE_CADRE: 2,
    Role.ENTERPRISE: 1,
    Role.GRID_WORKER: 1,
}

# Which roles each administering role may grant (subject to the rank and, for townships, the policy).
ADMINISTERS: dict[Role, frozenset[Role]] = {
    Role.COUNTY_ADMIN: frozenset(Role),
    Role.TOWNSHIP_OFFICER: frozenset({Role.VILLAGE_CADRE, Role.GRID_WORKER}),
}

# The area level at which each role is held (a grid worker is a member of the village of their grids).
ROLE_LEVELS: dict[Role, frozenset[Level]] = {
    Role.COUNTY_ADMIN: frozenset({Level.COUNTY}),
    Role.TOWNSHIP_OFFICER: frozenset({Level.TOWNSHIP}),
    Role.VILLAGE_CADRE: frozenset({Level.VILLAGE}),
    Role.GRID_WORKER: frozenset({Level.VILLAGE}),
    Role.DEPT_OFFICER: frozenset({Level.COUNTY}),
    Role.INSURER: frozenset({Level.COUNTY}),
    Role.ENTERPRISE: frozenset({Level.COUNTY}),
    Role.AUDITOR: frozenset({Level.COUNTY}),
}

LEVEL_NAMES = {
    Level.COUNTY: ("县级", "county"),
    Level.TOWNSHIP: ("乡镇级", "township"),
    Level.VILLAGE: ("村级", "village"),
}


def may_grant(administering: Role, role: Role, *, township_allowed: bool = False) -> bool:
    """Whether an administrator acting in `administering` may grant (or end, or manage holders of) `role`."""
    if administering == Role.TOWNSHIP_OFFICER and not township_allowed:
        return False
    return role in ADMINISTERS.get(administering, frozenset()) and ROLE_RANK[role] <= ROLE_RANK[administering]


def grantable(administering: Iterable[Role], *, township_allowed: bool = False) -> list[Role]:
    """Roles any of the administering roles may grant, highest first (for a form's choices)."""
    roles = {r for a in administering for r in Role if may_grant(a, r, township_allowed=township_allowed)}
    return sorted(roles, key=lambda r: (-ROLE_RANK[r], list(Role).index(r)))


def role_area_problem(role: Role, level: Level | None) -> tuple[str, str] | None:
    """(zh, en) when `role` cannot be held at an area of `level`, else None."""
    allowed = ROLE_LEVELS[role]
    if level in allowed:
        return None
    names = "、".join(LEVEL_NAMES[lv][0] for lv in sorted(allowed))
    names_en = ", ".join(LEVEL_NAMES[lv][1] for lv in sorted(allowed))
    return (
        f"{ROLE_LABELS[role]}只能授予在{names}区划",
        f"This role is held at a {names_en} area; choose an area of that level",
    )


def membership_current(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    """A membership counts from `start` until the day before `end` (`end` is the first day without it)."""
    return start <= on and (end is None or on < end)


def membership_dates_problem(start: dt.date, end: dt.date | None) -> tuple[str, str] | None:
    if end is not None and end < start:
        return "结束日期不能早于开始日期", "The end date cannot come before the start date"
    return None


# --- capabilities in words (the "who can do what here" page) -------------------------------------------

CAP_LABELS: dict[Cap, str] = {
    Cap.VIEW_PEOPLE: gettext_noop("查看辖区农户和家庭成员"),
    Cap.EDIT_REGISTRY: gettext_noop("登记和修改农户信息"),
    Cap.VIEW_FULL_ID: gettext_noop("查看完整身份证号"),
    Cap.IMPORT_REGISTRY: gettext_noop("批量导入农户信息"),
    Cap.MANAGE_AREAS: gettext_noop("管理区划和网格"),
    Cap.MANAGE_USERS: gettext_noop("管理账号和角色"),
    Cap.CONFIGURE: gettext_noop("设置规则和参数"),
    Cap.UPLOAD_FEEDS: gettext_noop("上传部门比对数据"),
    Cap.HANDLE_WARNINGS: gettext_noop("处理预警"),
    Cap.LOG_VISITS: gettext_noop("记录走访"),
    Cap.CASE_ACCEPT: gettext_noop("乡镇受理和审核监测案件"),
    Cap.CASE_VILLAGE: gettext_noop("村级核实、评议和公示"),
    Cap.CASE_APPROVE: gettext_noop("县级审定监测案件"),
    Cap.CLAIM_SURVEY: gettext_noop("防贫保查勘"),
    Cap.CLAIM_APPROVE: gettext_noop("防贫保理赔审批"),
    Cap.EMPLOYMENT_EDIT: gettext_noop("管理就业帮扶（车间、合同、公益岗位）"),
    Cap.MARKET_EDIT: gettext_noop("管理消费帮扶产品和订单"),
    Cap.VIEW_REPORTS: gettext_noop("查看统计报表"),
    Cap.VIEW_AUDIT: gettext_noop("查看审计日志"),
}


# --- the batch template -----------------------------------------------------------------------------

ROLE_BY_LABEL: dict[str, Role] = {**{label: r for r, label in ROLE_LABELS.items()}, **{r.value: r for r in Role}}

# The workbook's own words (an import format: the same in both languages); the column names are also
# msgids, so the import report names a column in the reader's language.
IMPORT_SHEET = "账号"
AREAS_SHEET = "可用区划"
COLUMNS = [
    gettext_noop("用户名"),
    gettext_noop("姓名"),
    gettext_noop("电话"),
    gettext_noop("角色"),
    gettext_noop("区划代码"),
    gettext_noop("所属单位"),
    gettext_noop("开始日期"),
    gettext_noop("初始密码"),
]
REQUIRED = ["用户名", "姓名", "角色", "区划代码"]


def refusal(caps: frozenset[Cap]) -> Forbidden:
    """The 403 a person reads: the rights in words, never the capability codes."""
    ordered = sorted(caps, key=list(Cap).index)
    zh = "、".join(CAP_LABELS[c] for c in ordered)
    en = " or ".join(c.value.replace("_", " ") for c in ordered)
    return Forbidden(
        zh=f"您的角色无权进行此操作（需要权限：{zh}）", en=f"Your role may not do this (it needs the right to {en})"
    )
