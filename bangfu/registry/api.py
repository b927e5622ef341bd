"""JSON API of the registry (/api/v1/registry/): households, members, income statements, Excel import.

Every read goes through `registry.selectors` (scoped to the caller exactly like the pages); every
write through `registry.services`. ID numbers are masked unless the caller asks for `full_id` and
the role may see them; each full number shown is logged by `selectors.member_full_id`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.api import JobOut, job_out
from bangfu.core.errors import NotFound
from bangfu.core.excel import upload_bytes
from bangfu.core.replicas import replica_ok
from bangfu.registry import importer, selectors, services
from bangfu.registry.domain.codes import ITEM_LABEL
from bangfu.registry.domain.validation import MEMBER_STORED, MemberFields

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household, IncomeItem, IncomeStatement, Member

router = Router(tags=["registry"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- schemas ----------------------------------------------------------------------------------


class HouseholdFilterIn(Schema):
    q: str = Field("", description="姓名、户编号或完整身份证号 name, household number or full ID number")
    village: str = Field("", description="村或上级区划代码 village (or enclosing area) code")
    grid: int | None = None
    flag: str = Field("", description="poverty_exited, monitored, dibao, tekun, relocated, no_labour")
    monitoring_type: str = ""
    page: int = Field(1, ge=1)
    per_page: int = Field(50, ge=1, le=200)


class HouseholdRowOut(Schema):
    id: int
    number: str
    village_code: str
    village_name: str
    grid_id: int | None
    grid_name: str
    head_name: str
    size: int
    status: str
    poverty_exited: bool
    exit_year: int | None
    monitoring_type: str
    dibao: bool
    tekun: bool
    relocated: bool
    no_labour: bool


class HouseholdPageOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[HouseholdRowOut]


class MemberOut(Schema):
    id: int
    household_id: int
    name: str
    id_number: str = Field(description="脱敏显示，如 5111************34；full_id=true 且角色允许时为完整号码")
    id_full: bool
    birth_date: dt.date | None = Field(description="完整出生日期，仅对有查看完整身份证号权限的角色提供")
    birth_year: int
    sex: str
    relation: str
    ethnicity: str
    education: str
    in_school: str
    health: str
    disability_grade: str
    labour: str
    employment: str
    work_place: str
    months_worked: int
    medical_insurance: str
    phone: str
    active: bool
    left_reason: str


class HouseholdOut(HouseholdRowOut):
    address: str
    phone: str
    group_code: str | None
    monitoring_since: dt.date | None
    risk_eliminated_on: dt.date | None
    risk_codes: list[str]
    dibao_since: dt.date | None
    tekun_since: dt.date | None
    no_labour_since: dt.date | None
    relocation_site: str | None
    relocated_on: dt.date | None
    members: list[MemberOut]


class MemberIn(Schema, MemberFields):
    """A member sent to the API: the registry's member fields (validation.MemberFields), validated."""


class MemberPatchIn(Schema):
    name: str | None = None
    relation: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    in_school: str | None = None
    health: str | None = None
    disability_grade: str | None = None
    labour: str | None = None
    employment: str | None = None
    work_place: str | None = None
    months_worked: int | None = None
    medical_insurance: str | None = None
    phone: str | None = None
    reason: str = ""


class HouseholdIn(Schema):
    number: str
    village_code: str
    grid_id: int | None = None
    group_code: str | None = None
    address: str = ""
    phone: str = ""
    poverty_exited: bool = False
    exit_year: int | None = None
    dibao: bool = False
    tekun: bool = False
    relocated: bool = False
    no_labour: bool = False
    members: list[MemberIn]


class HouseholdPatchIn(Schema):
    address: str | None = None
    phone: str | None = None
    poverty_exited: bool | None = None
    exit_year: int | None = None
    dibao: bool | None = None
    tekun: bool | None = None
    relocated: bool | None = None
    no_labour: bool | None = None
    village_code: str | None = None
    grid_id: int | None = None
    group_code: str | None = None
    reason: str = ""


class IdNumberIn(Schema):
    id_number: str


class ItemOut(Schema):
    id: int
    item: str
    label: str
    amount: Decimal
    member_id: int | None
    source: str
    source_ref: str
    note: str


class StatementOut(Schema):
    id: int
    household_id: int
    year: int
    size: int
    wage: Decimal
    business_income: Decimal
    business_cost: Decimal
    property: Decimal
    transfer: Decimal
    claims: Decimal
    out_of_pocket: Decimal
    net_income: Decimal
    per_capita: Decimal
    items: list[ItemOut]


class ItemIn(Schema):
    item: str = Field(description="收入项目代码，如 wage.local、transfer.pension income item code")
    amount: Decimal
    note: str = ""
    member_id: int | None = None


class ItemPatch(Schema):
    item: str | None = Field(None, description="收入项目代码 income item code")
    amount: Decimal | None = None
    note: str | None = None


class HouseholdImportOut(Schema):
    households: int
    members: int
    batch_id: int


# --- conversions ------------------------------------------------------------------------------


def _row(h: Household) -> dict[str, Any]:
    return {
        "id": h.pk,
        "number": h.number,
        "village_code": h.village_id,
        "village_name": h.village.name,
        "grid_id": h.grid_id,
        "grid_name": h.grid.name if h.grid else "",
        "head_name": h.head_name,
        "size": h.size,
        "status": h.status,
        "poverty_exited": h.poverty_exited,
        "exit_year": h.exit_year,
        "monitoring_type": h.monitoring_type,
        "dibao": h.dibao,
        "tekun": h.tekun,
        "relocated": h.relocated,
        "no_labour": h.no_labour,
    }


_MEMBER_OUT = (*MEMBER_STORED, "sex", "active", "left_reason")


def _member(user: User, m: Member, household: Household, full_id: bool) -> dict[str, Any]:
    m.household = household  # already fetched in scope: saves a query per member
    shown = selectors.member_full_id(user, m, purpose="api") if full_id else m.id_masked
    return {
        "id": m.pk,
        "household_id": m.household_id,
        "id_number": shown,
        "id_full": full_id,
        "birth_date": m.birth_date if selectors.sees_birth_date(user, household.village_id) else None,
        "birth_year": m.birth_date.year,
        **{f: getattr(m, f) for f in _MEMBER_OUT},
    }


def _household(user: User, pk: int, full_id: bool) -> dict[str, Any]:
    h, members = selectors.household_with_members(user, pk)  # statements and checks are not part of it
    return {
        **_row(h),
        "address": h.address,
        "phone": h.phone,
        "group_code": h.group_id,
        "monitoring_since": h.monitoring_since,
        "risk_eliminated_on": h.risk_eliminated_on,
        "risk_codes": h.risk_codes,
        "dibao_since": h.dibao_since,
        "tekun_since": h.tekun_since,
        "no_labour_since": h.no_labour_since,
        "relocated_on": h.relocated_on,
        "relocation_site": h.relocation_site.name if h.relocation_site else None,
        "members": [_member(user, m, h, full_id) for m in members],
    }


def _item(i: IncomeItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "item": i.item,
        "label": ITEM_LABEL.get(i.item, i.item),
        "amount": i.amount,
        "member_id": i.member_id,
        "source": i.source,
        "source_ref": i.source_ref,
        "note": i.note,
    }


def _statement(st: IncomeStatement) -> dict[str, Any]:
    fields = [
        "year",
        "size",
        "wage",
        "business_income",
        "business_cost",
        "property",
        "transfer",
        "claims",
        "out_of_pocket",
        "net_income",
        "per_capita",
    ]
    return {
        "id": st.pk,
        "household_id": st.household_id,
        **{f: getattr(st, f) for f in fields},
        "items": [_item(i) for i in st.items.all()],
    }


def _statement_of(user: User, household_id: int, year: int) -> IncomeStatement:
    st = selectors.statement_for(user, household_id, year)
    if st is None:
        raise NotFound("该户没有这一年度的收入记录", "The household has no income statement for that year")
    return st


# --- households -------------------------------------------------------------------------------


@router.get("/households", response=HouseholdPageOut, summary="农户列表 List households")
@replica_ok
def household_list(request: AuthedHttpRequest, filters: Query[HouseholdFilterIn]) -> dict[str, Any]:
    f = selectors.HouseholdFilter(
        text=filters.q,
        village=filters.village,
        grid=filters.grid,
        flag=filters.flag,
        monitoring_type=filters.monitoring_type,
    )
    page = selectors.household_page(request.user, f, filters.page, filters.per_page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": filters.per_page,
        "items": [_row(h) for h in page.object_list],
    }


@router.post("/households", response={201: HouseholdOut}, summary="登记农户 Create a household")
@writes(Cap.EDIT_REGISTRY)
def household_create(request: AuthedHttpRequest, body: HouseholdIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    place = {k: data.pop(k) for k in ("village_code", "grid_id", "group_code")}
    members = data.pop("members")
    h = services.household_create(actor=request.user, fields=data, members=members, **place)
    return Status(201, _household(request.user, h.pk, full_id=False))


@router.get("/households/{pk}", response=HouseholdOut, summary="农户详情 Get a household")
def household_get(request: AuthedHttpRequest, pk: int, full_id: bool = False) -> dict[str, Any]:
    return _household(request.user, pk, full_id)


@router.patch("/households/{pk}", response=HouseholdOut, summary="修改农户 Update a household")
@writes(Cap.EDIT_REGISTRY)
def household_update(request: AuthedHttpRequest, pk: int, body: HouseholdPatchIn) -> dict[str, Any]:
    h = selectors.household_get(request.user, pk)
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    services.household_update(actor=request.user, household=h, changes=changes, reason=reason)
    return _household(request.user, pk, full_id=False)


# --- members ----------------------------------------------------------------------------------


@router.get("/households/{pk}/members", response=list[MemberOut], summary="家庭成员 Members of a household")
@replica_ok
def member_list(request: AuthedHttpRequest, pk: int, full_id: bool = False) -> list[dict[str, Any]]:
    h = selectors.household_get(request.user, pk)
    return [_member(request.user, m, h, full_id) for m in selectors.members_of(request.user, pk)]


@router.post("/households/{pk}/members", response={201: MemberOut}, summary="增加成员 Add a member")
@writes(Cap.EDIT_REGISTRY)
def member_add(request: AuthedHttpRequest, pk: int, body: MemberIn) -> Status[dict[str, Any]]:
    h = selectors.household_get(request.user, pk)
    m = services.member_add(actor=request.user, household=h, fields=body.model_dump())
    return Status(201, _member(request.user, m, h, full_id=False))


@router.post("/members/find", response=MemberOut, summary="按身份证号查找 Find a person by ID number")
@writes(Cap.VIEW_PEOPLE)
def member_find(request: AuthedHttpRequest, body: IdNumberIn) -> dict[str, Any]:
    """POST, not GET: an ID number must not appear in URLs (and so in access logs)."""
    m = selectors.member_find(request.user, body.id_number)
    return _member(request.user, m, m.household, full_id=False)


@router.get("/members/{pk}", response=MemberOut, summary="成员详情 Get a member")
def member_get(request: AuthedHttpRequest, pk: int, full_id: bool = False) -> dict[str, Any]:
    m = selectors.member_get(request.user, pk)
    return _member(request.user, m, m.household, full_id)


@router.patch("/members/{pk}", response=MemberOut, summary="修改成员 Update a member")
@writes(Cap.EDIT_REGISTRY)
def member_update(request: AuthedHttpRequest, pk: int, body: MemberPatchIn) -> dict[str, Any]:
    m = selectors.member_get(request.user, pk)
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    m = services.member_update(actor=request.user, member=m, changes=changes, reason=reason)
    return _member(request.user, m, m.household, full_id=False)


# --- income statements ------------------------------------------------------------------------


@router.get("/households/{pk}/statements", response=list[StatementOut], summary="收入年报 Income statements")
@replica_ok
def statement_list(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    return [_statement(st) for st in selectors.statements_of(request.user, pk)]


@router.get("/households/{pk}/statements/{year}", response=StatementOut, summary="某年收入 Income of one year")
def statement_get(request: AuthedHttpRequest, pk: int, year: int) -> dict[str, Any]:
    return _statement(_statement_of(request.user, pk, year))


@router.post(
    "/households/{pk}/statements/{year}/items", response={201: StatementOut}, summary="登记收入项目 Add an income line"
)
@writes(Cap.EDIT_REGISTRY)
def item_create(request: AuthedHttpRequest, pk: int, year: int, body: ItemIn) -> Status[dict[str, Any]]:
    h = selectors.household_get(request.user, pk)
    services.income_item_set(
        actor=request.user,
        household=h,
        year=year,
        item=body.item,
        amount=body.amount,
        note=body.note,
        member_id=body.member_id,
    )
    return Status(201, _statement(_statement_of(request.user, pk, year)))


@router.patch("/income-items/{pk}", response=StatementOut, summary="更正收入项目 Correct an income line")
@writes(Cap.EDIT_REGISTRY)
def item_update(request: AuthedHttpRequest, pk: int, body: ItemPatch) -> dict[str, Any]:
    item = selectors.income_item_get(request.user, pk)
    services.income_item_update(actor=request.user, item=item, amount=body.amount, note=body.note, code=body.item)
    st = item.statement
    return _statement(_statement_of(request.user, st.household_id, st.year))


@router.delete("/income-items/{pk}", response={204: None}, summary="删除收入项目 Delete an income line")
@writes(Cap.EDIT_REGISTRY)
def item_delete(request: AuthedHttpRequest, pk: int) -> Status[None]:
    item = selectors.income_item_get(request.user, pk)
    services.income_item_delete(actor=request.user, item=item)
    return Status(204, None)


# --- Excel ------------------------------------------------------------------------------------


@router.get("/import/template", summary="导入模板 Import template (xlsx)")
def import_template(request: AuthedHttpRequest) -> HttpResponse:
    response = HttpResponse(importer.template_workbook(request.user), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''household-import-template.xlsx"
    return response


@router.post(
    "/import",
    response={201: HouseholdImportOut, 202: JobOut},
    summary="Excel导入农户 Import households (all or none)",
)
@writes(Cap.IMPORT_REGISTRY)
def import_households(request: AuthedHttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """422 with `errors` (row, field as 'sheet!column', message, message_en) when any row is wrong.

    A file of more than a few thousand rows is imported in the background: 202 with a job to poll
    at `url` (GET /api/v1/jobs/{id}) until its status is done (result) or failed (error report)."""
    result = importer.household_import_start(actor=request.user, data=upload_bytes(file), filename=file.name or "")
    if isinstance(result, importer.ImportResult):
        return Status(201, {"households": result.households, "members": result.members, "batch_id": result.batch_id})
    return Status(202, job_out(result))


# --- 三保障 checks -------------------------------------------------------------------------------------


class GuaranteeIn(Schema):
    checked_on: dt.date
    housing_safe: bool
    schooling_ok: bool
    medical_ok: bool
    water_safe: bool
    note: str = ""


class GuaranteeOut(Schema):
    id: int
    household_id: int
    checked_on: dt.date
    housing_safe: bool
    schooling_ok: bool
    medical_ok: bool
    water_safe: bool
    all_secure: bool
    note: str
    checked_by: str | None


def _guarantee(g: Any) -> dict[str, Any]:
    return {
        "id": g.pk,
        "household_id": g.household_id,
        "checked_on": g.checked_on,
        "housing_safe": g.housing_safe,
        "schooling_ok": g.schooling_ok,
        "medical_ok": g.medical_ok,
        "water_safe": g.water_safe,
        "all_secure": g.all_secure,
        "note": g.note,
        "checked_by": str(g.checked_by) if g.checked_by else None,
    }


@router.get("/households/{pk}/guarantees", response=list[GuaranteeOut], summary="三保障核查 Guarantee checks")
@replica_ok
def guarantee_list(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    return [_guarantee(g) for g in selectors.guarantee_checks(request.user, pk)]


@router.post(
    "/households/{pk}/guarantees", response={201: GuaranteeOut}, summary="记录三保障核查 Record a guarantee check"
)
@writes(Cap.LOG_VISITS)
def guarantee_record(request: AuthedHttpRequest, pk: int, body: GuaranteeIn) -> Status[dict[str, Any]]:
    """Grid workers (their grids) and officers who edit the registry record what they found on a date."""
    h = selectors.household_get(request.user, pk)
    g = services.guarantee_check_record(actor=request.user, household=h, **body.model_dump())
    return Status(201, _guarantee(g))


# --- resettlement sites and relocated households ------------------------------------------------------


class SiteIn(Schema):
    area: str = Field(description="12位村(社区)区划代码 village/community code")
    name: str
    kind: str = Field(description="安置方式 urban 城镇安置 / town 集镇安置 / village 中心村安置")
    community: str = Field("", description="管理社区(居委会) the community that runs the site")
    address: str = ""
    planned_households: int = 0
    planned_people: int = 0
    completed_year: int | None = None
    services: str = ""


class SitePatchIn(Schema):
    name: str | None = None
    kind: str | None = None
    community: str | None = None
    address: str | None = None
    planned_households: int | None = None
    planned_people: int | None = None
    completed_year: int | None = None
    services: str | None = None


class SiteOut(Schema):
    id: int
    area: str
    area_name: str
    name: str
    kind: str
    kind_label: str
    community: str
    address: str
    planned_households: int
    planned_people: int
    completed_year: int | None
    services: str
    households: int


class RelocationIn(Schema):
    site_id: int | None = Field(None, description="安置点；null 表示不是搬迁户 null: not relocated")
    moved_on: dt.date | None = None
    from_village: str | None = Field(None, description="迁出村区划代码 village moved from")


class RelocationOut(Schema):
    household_id: int
    relocated: bool
    site_id: int | None
    moved_on: dt.date | None
    from_village: str | None


def _site(user: User, site_id: int) -> dict[str, Any]:
    s = selectors.site_get(user, site_id)
    return {
        "id": s.pk,
        "area": s.area_id,
        "area_name": s.area.name,
        "name": s.name,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "community": s.community,
        "address": s.address,
        "planned_households": s.planned_households,
        "planned_people": s.planned_people,
        "completed_year": s.completed_year,
        "services": s.services,
        "households": selectors.households_visible(user).filter(relocation_site=s).count(),
    }


@router.get("/sites", response=list[SiteOut], summary="集中安置点 Resettlement sites in your areas")
@replica_ok
def site_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [_site(request.user, pk) for pk in selectors.sites_visible(request.user).values_list("pk", flat=True)]


@router.get("/sites/{pk}", response=SiteOut, summary="安置点详情 A resettlement site")
def site_get(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _site(request.user, pk)


@router.post("/sites", response={201: SiteOut}, summary="新建安置点 Create a resettlement site")
@writes(Cap.CONFIGURE)
def site_create(request: AuthedHttpRequest, body: SiteIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    s = services.site_create(actor=request.user, area_code=data.pop("area"), **data)
    return Status(201, _site(request.user, s.pk))


@router.patch("/sites/{pk}", response=SiteOut, summary="修改安置点 Correct a resettlement site")
@writes(Cap.CONFIGURE)
def site_update(request: AuthedHttpRequest, pk: int, body: SitePatchIn) -> dict[str, Any]:
    s = selectors.site_get(request.user, pk)
    services.site_update(actor=request.user, site=s, changes=body.model_dump(exclude_unset=True))
    return _site(request.user, pk)


@router.put(
    "/households/{pk}/relocation", response=RelocationOut, summary="安置到安置点 Place or move a household on a site"
)
@writes(Cap.EDIT_REGISTRY)
def household_relocation(request: AuthedHttpRequest, pk: int, body: RelocationIn) -> dict[str, Any]:
    user = request.user
    h = selectors.household_get(user, pk)
    site = selectors.site_get(user, body.site_id) if body.site_id is not None else None
    h = services.household_set_relocation(
        household=h, site=site, moved_on=body.moved_on, from_village=body.from_village, actor=user
    )
    return {
        "household_id": h.pk,
        "relocated": h.relocated,
        "site_id": h.relocation_site_id,
        "moved_on": h.relocated_on,
        "from_village": h.relocated_from_id,
    }
