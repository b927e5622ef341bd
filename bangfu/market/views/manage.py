"""Form pages of the market module: enterprises (register, edit), counterpart and household links,
yearly figures, buyers and their targets, parameters. Each GET shows the form, each POST calls one
service; problems come back next to their fields, and nothing is validated here twice."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.errors import Forbidden, NotFound, invalid
from bangfu.market import selectors, services
from bangfu.market.domain import codes
from bangfu.market.models import Enterprise
from bangfu.market.views._forms import Field, FormPage, date_value, decimal_value, int_value
from bangfu.registry import selectors as registry


def _not_officer() -> Forbidden:
    return Forbidden("只有县级管理员可以办理此事项", "Only the county office may do this")


def _opts(labels: dict[Any, str]) -> tuple[tuple[str, str], ...]:
    """A select's options from a domain table (labels marked with gettext_noop), in the reader's language."""
    return tuple((k.value, _(v)) for k, v in labels.items())


def _areas(user: Any) -> tuple[tuple[str, str], ...]:
    return tuple((a.code, f"{a.name} · {a.code}") for a in selectors.require_officer_somewhere(user))


def _officer_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise for an officer step: 404 outside the user's areas, 403 inside without the right."""
    e = selectors.enterprise_get(user, pk)
    if not selectors.is_officer_for(user, e.area_id):
        raise _not_officer()
    return e


def _back(e: Enterprise, anchor: str = "") -> HttpResponse:
    return redirect(reverse("market:enterprise_detail", args=[e.pk]) + anchor)


# --- enterprises --------------------------------------------------------------------------------------

ENTERPRISE_TEXT = ["name", "kind", "leader", "phone", "address", "description"]


def _enterprise_fields(creating: bool, areas: tuple[tuple[str, str], ...] = ()) -> list[Field]:
    head = [Field("name", _("名称"), required=True)]
    if creating:
        head += [
            Field("credit_code", _("统一社会信用代码"), required=True, hint=_("18位")),
            Field("area_code", _("所在地"), "select", areas, required=True),
        ]
    tail = [
        Field("kind", _("类型"), "select", _opts(codes.ENTERPRISE_KIND_LABELS), required=True),
        Field("leader", _("负责人"), required=True),
        Field("phone", _("联系电话"), "tel"),
        Field("address", _("地址")),
        Field("description", _("简介"), "textarea"),
    ]
    return head + tail + ([] if creating else [Field("reason", _("修改原因"))])


@login_required
@writes(Cap.MARKET_EDIT)
def enterprise_new(request: AuthedHttpRequest) -> HttpResponse:
    """Register an enterprise or co-operative (county officer)."""
    page = FormPage(
        _("登记企业或合作社"), _enterprise_fields(True, _areas(request.user)),
        reverse("market:enterprise_list"),
    )  # fmt: skip
    return page.post(
        request,
        fields=[*ENTERPRISE_TEXT, "credit_code", "area_code"],
        run=lambda v: services.enterprise_create(actor=request.user, **v),
        done=lambda e: _("已登记%(name)s") % {"name": e.name},
        then=_back,
    )


@login_required
@writes(Cap.MARKET_EDIT)
def enterprise_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        _("编辑%(name)s") % {"name": e.name}, _enterprise_fields(False),
        reverse("market:enterprise_detail", args=[e.pk]),
        intro=_("统一社会信用代码%(code)s和所在地%(area)s不可修改（它们决定谁能查看）。")
        % {"code": e.credit_code, "area": e.area.name},
        values={f: getattr(e, f) for f in ENTERPRISE_TEXT},
    )  # fmt: skip
    return page.post(
        request,
        fields=[*ENTERPRISE_TEXT, "reason"],
        run=lambda v: services.enterprise_update(actor=request.user, enterprise=e, **v),
        done=_("已保存"),
        then=lambda _v: _back(e),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def counterpart_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """对口帮扶 / 东西部协作 partner of the enterprise (county officer)."""
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        _("%(name)s · 登记对口帮扶") % {"name": e.name},
        [
            Field("partner", _("帮扶方"), required=True, hint=_("例如：福建省援藏工作队")),
            Field("partner_province", _("帮扶省份"), required=True),
            Field("kind", _("帮扶形式"), required=True, hint=_("例如：对口援藏、东西部协作")),
            Field("start", _("开始日期"), "date", required=True),
            Field("end", _("结束日期"), "date", hint=_("仍在进行的不填")),
            Field("support", _("帮扶内容"), "textarea"),
        ],
        reverse("market:enterprise_detail", args=[e.pk]),
    )  # fmt: skip
    return page.post(
        request,
        run=lambda v: services.counterpart_link_add(
            actor=request.user,
            enterprise=e,
            partner=v["partner"],
            partner_province=v["partner_province"],
            kind=v["kind"],
            start=date_value(v["start"], "start", "开始日期"),
            end=date_value(v["end"], "end", "结束日期") if v["end"] else None,
            support=v["support"],
        ),
        done=_("对口帮扶已登记"),
        then=lambda _v: _back(e),
    )


def _household_by_id_number(user: Any, id_number: str) -> int:
    """The household of the person with this ID number, among the households the officer may see."""
    try:
        return registry.member_find(user, id_number).household_id
    except NotFound:
        raise invalid(
            "id_number",
            "在您管辖范围内未找到该身份证号的农户成员，请核对号码",
            "No household member with this ID number in your areas; check the number",
        ) from None


@login_required
@writes(Cap.MARKET_EDIT)
def household_link_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """联农带农: link a registered household by a member's ID number (county officer)."""
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        _("%(name)s · 登记联结农户") % {"name": e.name},
        [
            Field("id_number", _("家庭成员身份证号"), required=True),
            Field("kind", _("联结方式"), "select",
                  _opts(codes.LINK_KIND_LABELS), required=True),
            Field("start", _("开始日期"), "date", required=True),
            Field("note", _("说明"), hint=_("例如：包装岗位")),
        ],
        reverse("market:enterprise_detail", args=[e.pk]) + "#households",
    )  # fmt: skip
    page.values = {"start": timezone.localdate().isoformat()}
    return page.post(
        request,
        run=lambda v: services.household_link_create(
            actor=request.user,
            enterprise=e,
            household_id=_household_by_id_number(request.user, v["id_number"]),
            kind=v["kind"],
            start=date_value(v["start"], "start", "开始日期"),
            note=v["note"],
        ),
        forget=("id_number",),  # never echo an ID number back into the page
        done=_("联结农户已登记"),
        then=lambda _v: _back(e, "#households"),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def year_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The enterprise's yearly output value, revenue and profit (its own user or the county)."""
    e = selectors.enterprise_get(request.user, pk)
    if not selectors.can_edit(request.user, e):
        raise Forbidden("您只能查看该企业，不能修改", "You may view this enterprise but not change it")
    page = FormPage(
        _("%(name)s · 填报年度产值利润") % {"name": e.name},
        [
            Field("year", _("年度"), "number", required=True, mode="numeric"),
            Field("output_value", _("产值（元）"), required=True, mode="decimal"),
            Field("revenue", _("营业收入（元）"), required=True, mode="decimal"),
            Field("profit", _("利润（元）"), required=True, mode="decimal", hint=_("亏损填负数")),
        ],
        reverse("market:enterprise_detail", args=[e.pk]) + "#figures",
        intro=_("同一年度再次填报将更正原数据。"),
    )  # fmt: skip
    page.values = {"year": request.GET.get("year") or timezone.localdate().year - 1}
    return page.post(
        request,
        run=lambda v: services.enterprise_year_set(
            actor=request.user,
            enterprise=e,
            year=int_value(v["year"], "year", "年度"),
            output_value=decimal_value(v["output_value"], "output_value", "产值"),
            revenue=decimal_value(v["revenue"], "revenue", "营业收入"),
            profit=decimal_value(v["profit"], "profit", "利润"),
        ),
        done=_("年度数据已保存"),
        then=lambda y: redirect(reverse("market:enterprise_detail", args=[e.pk]) + f"?year={y.year}#figures"),
    )


# --- buyers, targets, parameters ----------------------------------------------------------------------


@login_required
@writes(Cap.MARKET_EDIT)
def buyer_new(request: AuthedHttpRequest) -> HttpResponse:
    page = FormPage(
        _("登记采购单位"),
        [
            Field("name", _("单位名称"), required=True),
            Field("kind", _("类型"), "select", _opts(codes.BUYER_KIND_LABELS), required=True),
            Field("area_code", _("所在地"), "select", _areas(request.user), required=True),
            Field("has_canteen", _("有食堂"), "checkbox", hint=_("无食堂的单位不设预留比例")),
            Field("contact", _("联系人")),
            Field(
                "credit_code",
                _("统一社会信用代码"),
                hint=_("填写后，该单位的采购账号（企业用户角色，组织填此代码）可自行下单"),
            ),
        ],
        reverse("market:buyer_list"),
        values={"has_canteen": "on"},
    )  # fmt: skip
    return page.post(
        request,
        run=lambda v: services.buyer_create(
            actor=request.user,
            name=v["name"],
            kind=v["kind"],
            area_code=v["area_code"],
            has_canteen=v["has_canteen"] == "on",
            contact=v["contact"],
            credit_code=v["credit_code"],
        ),
        done=_("采购单位已登记"),
        then=lambda _v: redirect("market:buyer_list"),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def target_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The buyer's canteen purchases for a year; the share defaults to the area's parameter."""
    buyer = selectors.buyer_get(request.user, pk)
    if not selectors.is_officer_for(request.user, buyer.area_id):
        raise _not_officer()
    page = FormPage(
        _("%(name)s · 年度采购目标") % {"name": buyer.name},
        [
            Field("year", _("年度"), "number", required=True, mode="numeric"),
            Field("canteen_purchases", _("食堂采购总额（元）"),
                  required=True, mode="decimal"),
            Field("share", _("预留比例"), mode="decimal", hint=_("例如0.10；不填则按本地区参数")),
        ],
        reverse("market:buyer_list"),
    )  # fmt: skip
    targets = selectors.targets_of(request.user, pk)
    page.values = {"year": timezone.localdate().year}

    def run(v: dict[str, str]) -> int:
        year = int_value(v["year"], "year", "年度")
        services.target_set(
            actor=request.user,
            buyer=buyer,
            year=year,
            canteen_purchases=decimal_value(v["canteen_purchases"], "canteen_purchases", "食堂采购总额"),
            share=decimal_value(v["share"], "share", "预留比例") if v["share"] else None,
        )
        return year

    return page.post(
        request,
        run=run,
        done=_("采购目标已保存"),
        then=lambda year: redirect(reverse("market:buyer_list") + f"?year={year}"),
        targets=targets,
        below="market/_targets.html",
    )


@login_required
@writes(Cap.MARKET_EDIT)
def parameters(request: AuthedHttpRequest) -> HttpResponse:
    """The market parameters per area with effective dates; a new row never rewrites the past."""
    page = FormPage(
        _("特色产业参数"),
        [
            Field("area_code", _("适用地区"), "select", _areas(request.user), required=True),
            Field("key", _("参数"), "select", _opts(codes.PARAM_LABELS), required=True),
            Field("value", _("取值"), required=True, mode="decimal", hint=_("比例填小数，如0.10；有效期填月数")),
            Field("effective_from", _("生效日期"), "date", required=True),
        ],
        reverse("market:enterprise_list"),
        intro=_("下级地区的设置优先于上级；同一地区按生效日期取最新。"),
    )  # fmt: skip
    extra: dict[str, Any] = {"params": selectors.parameters_visible(request.user), "below": "market/_parameters.html"}

    def run(v: dict[str, str]) -> None:
        if v["key"] not in codes.PARAM_LABELS:
            raise invalid("key", "请选择参数", "Choose a parameter")
        services.parameter_set(
            actor=request.user,
            area_code=v["area_code"],
            key=codes.ParamKey(v["key"]),
            value=decimal_value(v["value"], "value", "取值"),
            effective_from=date_value(v["effective_from"], "effective_from", "生效日期"),
        )

    return page.post(request, run=run, done=_("参数已保存"), then=lambda _v: redirect("market:parameters"), **extra)
