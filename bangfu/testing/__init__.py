"""Test helpers shared by every app's tests: a small county with users for each role.

`world()` builds:
  province 51 四川 → prefecture 5111 → county 511133 马边 → townships T1 (511133100) and T2 (511133200)
  → villages V1a, V1b under T1 and V2a under T2 → grids G1 (V1a, worker gw1), G2 (V1a, worker gw2),
  G3 (V2a, worker gw3), and one household in each grid.
Users: county (county admin), t1/t2 (township officers), v1 (village cadre of V1a), gw1/gw2/gw3,
dept (医保 data officer of the county), insurer, enterprise, auditor.
Users are attributes (world.t1 is the township officer); areas are world.area_county, world.area_t1,
world.area_t2, world.v1a, world.v1b, world.v2a; grids world.g1..g3; households world.households["h1"..].
The access trio of design guide §7 is: t1 (sees T1), t2 (neighbouring township), gw2 (another grid).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from typing import Any

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import User
from bangfu.areas import services as areas
from bangfu.areas.models import Area, Grid
from bangfu.core.domain.idnumber import make
from bangfu.registry import services as registry
from bangfu.registry.models import Household

PASSWORD = "test-pass-123"
_seq = itertools.count(1)


def new_id_number(birth: dt.date | None = None, region: str = "511133") -> str:
    n = next(_seq)
    return make(region, birth or dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000), n % 1000)


def member_fields(name: str = "张三", relation: str = "户主", **extra: Any) -> dict[str, Any]:
    data = {"name": name, "id_number": extra.pop("id_number", None) or new_id_number(), "relation": relation}
    data.update(extra)
    return data


_hh_seq = itertools.count(1)


def new_household(
    village: Area, grid: Grid | None = None, members: int = 2, born: dt.date | None = None, **fields: Any
) -> Household:
    """A household of `members` people. Their birth dates follow a counter shared by the whole test
    process (1960 to 2001), so a test whose outcome depends on age passes `born` for all of them."""
    number = fields.pop("number", None) or f"5111331{next(_hh_seq):09d}"
    rows = [member_fields("户主" + number[-3:], "户主", id_number=new_id_number(born))]
    rows += [member_fields(f"成员{i}{number[-3:]}", "之子", id_number=new_id_number(born)) for i in range(members - 1)]
    return registry.household_create(
        actor=None,
        village_code=village.code,
        grid_id=grid.pk if grid else None,
        fields={"number": number, **fields},
        members=rows,
    )


@dataclass
class World:
    province: Area
    area_county: Area
    area_t1: Area
    area_t2: Area
    v1a: Area
    v1b: Area
    v2a: Area
    g1: Grid
    g2: Grid
    g3: Grid
    users: dict[str, User] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def account(name: str, role: Role, area_code: str, organisation: str = "") -> User:
    """A user (password PASSWORD) holding `role` in one area; `organisation` names the enterprise, buyer,
    bureau or insurer of a membership that needs one. The one way tests make a user with a role."""
    u = accounts.user_create(username=name, password=PASSWORD, display_name=name)
    accounts.membership_grant(user=u, role=role, area_code=area_code, organisation=organisation)
    return u


def _user(name: str, role: Role, area: Area, org: str = "") -> User:
    return account(name, role, area.code, org)


def world() -> World:
    p = areas.area_create(code="510000000000", name="四川省", parent_code=None)
    pref = areas.area_create(code="511100000000", name="乐山市", parent_code=p.code)
    c = areas.area_create(code="511133000000", name="马边彝族自治县", parent_code=pref.code)
    t1 = areas.area_create(code="511133100000", name="雪口山乡", parent_code=c.code)
    t2 = areas.area_create(code="511133200000", name="民建镇", parent_code=c.code)
    v1a = areas.area_create(code="511133100201", name="羊店儿村", parent_code=t1.code)
    v1b = areas.area_create(code="511133100202", name="黎明村", parent_code=t1.code)
    v2a = areas.area_create(code="511133200201", name="民主村", parent_code=t2.code)
    users = {
        "county": _user("county", Role.COUNTY_ADMIN, c),
        "t1": _user("t1", Role.TOWNSHIP_OFFICER, t1),
        "t2": _user("t2", Role.TOWNSHIP_OFFICER, t2),
        "v1": _user("v1", Role.VILLAGE_CADRE, v1a),
        "gw1": _user("gw1", Role.GRID_WORKER, v1a),
        "gw2": _user("gw2", Role.GRID_WORKER, v1a),
        "gw3": _user("gw3", Role.GRID_WORKER, v2a),
        "dept": _user("dept", Role.DEPT_OFFICER, c, "医保"),
        "insurer": _user("insurer", Role.INSURER, c, "中国太保"),
        "enterprise": _user("enterprise", Role.ENTERPRISE, c, ""),
        "auditor": _user("auditor", Role.AUDITOR, c),
    }
    g1 = areas.grid_create(village_code=v1a.code, code="G1", name="羊店儿村第一网格", worker=users["gw1"])
    g2 = areas.grid_create(village_code=v1a.code, code="G2", name="羊店儿村第二网格", worker=users["gw2"])
    g3 = areas.grid_create(village_code=v2a.code, code="G3", name="民主村第一网格", worker=users["gw3"])
    w = World(p, c, t1, t2, v1a, v1b, v2a, g1, g2, g3, users)
    w.households = {
        "h1": new_household(v1a, g1, members=3, poverty_exited=True, exit_year=2018),
        "h2": new_household(v1a, g2, members=2),
        "h3": new_household(v2a, g3, members=4),
    }
    return w


# --- crafted workbooks (bombs) for the upload tests -----------------------------------------------


def xlsx_parts(sheets: dict[str, str]) -> bytes:
    """A minimal .xlsx built by hand with zipfile: {sheet name: the <sheetData> inner XML plus any
    extra head (e.g. '<dimension ref="A1:B2"/>' before '<sheetData>')}. Each value is placed as-is."""
    import io
    import zipfile

    ns = "http://schemas.openxmlformats.org"
    rel = f"{ns}/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        names = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, 1))
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{rel}">'
            f"<sheets>{names}</sheets></workbook>",
        )
        targets = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">{targets}</Relationships>',
        )
        for i, body in enumerate(sheets.values(), 1):
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">{body}'
                "</worksheet>",
            )
    return buf.getvalue()


def bomb_xlsx(last: str = "XFD1048576", dimension: str | None = None, sheets: tuple[str, ...] = ("Sheet1",)) -> bytes:
    """About 1.5 KB: a header cell in A1 and one number in `last`, so the used range is A1:`last`.
    `dimension` is what the sheet declares (default: the truth); every sheet is the same bomb."""
    row = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    head = f'<dimension ref="{dimension or f"A1:{last}"}"/>'
    data = (
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c></row>'
        f'<row r="{row}"><c r="{last}"><v>1</v></c></row></sheetData>'
    )
    return xlsx_parts(dict.fromkeys(sheets, head + data))


# --- what a person must never read ------------------------------------------------------------------


def code_values() -> set[str]:
    """The values of every choice of every model (`open`, `paid`, `in_person`): shown as such on a page
    or in an export, they are an internal code where a label belongs (issue #16)."""
    import re

    from django.apps import apps

    codes: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            for value, _label in f.flatchoices or ():
                if isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]+", value):
                    codes.add(value)
    return codes


# --- import templates filled in as a person would ---------------------------------------------------


def fill_template(data: bytes, rows: list[dict[str, Any]], *, sheet: str | None = None) -> bytes:
    """A downloaded .xlsx template with `rows` (column title → value) typed under its header, on the
    sheet it opens on (or `sheet`); every other cell, sheet, dropdown and format kept as downloaded."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.active
    header = [c.value for c in ws[1]]
    unknown = {k for r in rows for k in r} - set(header)
    assert not unknown, f"the template has no column {unknown}"
    for row in rows:
        ws.append([row.get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "filled.xlsx") -> io.BytesIO:
    """Bytes as a file field of a test client's POST."""
    f = io.BytesIO(data)
    f.name = name
    return f
