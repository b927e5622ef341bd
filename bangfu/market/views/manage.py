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
    return tuple((k.value, v) for k, v in labels.items())


def _areas(user: Any) -> tuple[tuple[str, str], ...]:
    return tuple((a.code, f"{a.name}（{a.code}）") for a in selectors.require_officer_somewhere(user))


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
    head = [Field("name", "名称", "Name", required=True)]
    if creating:
        head += [
            Field("credit_code", "统一社会信用代码", "Unified social credit code, 18 characters", required=True),
            Field("area_code", "所在地", "Area", "select", areas, required=True),
        ]
    tail = [
        Field("kind", "类型", "Type", "select", _opts(codes.ENTERPRISE_KIND_LABELS), required=True),
        Field("leader", "负责人", "Leader", required=True),
        Field("phone", "联系电话", "Phone", "tel"),
        Field("address", "地址", "Address"),
        Field("description", "简介", "Description", "textarea"),
    ]
    return head + tail + ([] if creating else [Field("reason", "修改原因", "Reason for the change")])


@login_required
@writes(Cap.MARKET_EDIT)
def enterprise_new(request: AuthedHttpRequest) -> HttpResponse:
    """Register an enterprise or co-operative (county officer)."""
    page = FormPage(
        "登记企业或合作社", "Register an enterprise", _enterprise_fields(True, _areas(request.user)),
        reverse("market:enterprise_list"),
    )  # fmt: skip
    return page.post(
        request,
        fields=[*ENTERPRISE_TEXT, "credit_code", "area_code"],
        run=lambda v: services.enterprise_create(actor=request.user, **v),
        done=lambda e: f"已登记 {e.name} Registered",
        then=_back,
    )


@login_required
@writes(Cap.MARKET_EDIT)
def enterprise_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        f"编辑 {e.name}", "Edit enterprise", _enterprise_fields(False),
        reverse("market:enterprise_detail", args=[e.pk]),
        intro=f"统一社会信用代码 {e.credit_code} 和所在地 {e.area.name} 不可修改（决定谁能查看）。"
        "Credit code and area are fixed.",
        values={f: getattr(e, f) for f in ENTERPRISE_TEXT},
    )  # fmt: skip
    return page.post(
        request,
        fields=[*ENTERPRISE_TEXT, "reason"],
        run=lambda v: services.enterprise_update(actor=request.user, enterprise=e, **v),
        done="已保存 Saved",
        then=lambda _: _back(e),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def counterpart_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """对口帮扶 / 东西部协作 partner of the enterprise (county officer)."""
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        f"{e.name} · 登记对口帮扶", "Counterpart support",
        [
            Field("partner", "帮扶方", "Partner, e.g. 福建省援藏工作队", required=True),
            Field("partner_province", "帮扶省份", "Partner province", required=True),
            Field("kind", "帮扶形式", "Form, e.g. 对口援藏, 东西部协作", required=True),
            Field("start", "开始日期", "Start", "date", required=True),
            Field("end", "结束日期", "End (empty: ongoing)", "date"),
            Field("support", "帮扶内容", "What the partner does", "textarea"),
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
        done="对口帮扶已登记 Counterpart recorded",
        then=lambda _: _back(e),
    )


def _household_by_id_number(user: Any, id_number: str) -> int:
    """The household of the person with this ID number, among the households the officer may see."""
    try:
        return registry.member_find(user, id_number).household_id
    except NotFound:
        raise invalid(
            "id_number",
            "在您管辖范围内未找到该身份证号的农户成员，请核对号码",
            "no household member with this ID number in your areas; check the number",
        ) from None


@login_required
@writes(Cap.MARKET_EDIT)
def household_link_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """联农带农: link a registered household by a member's ID number (county officer)."""
    e = _officer_enterprise(request.user, pk)
    page = FormPage(
        f"{e.name} · 登记联结农户", "Link a household",
        [
            Field("id_number", "家庭成员身份证号", "ID number of any member of the household", required=True),
            Field("kind", "联结方式", "How the enterprise brings income", "select",
                  _opts(codes.LINK_KIND_LABELS), required=True),
            Field("start", "开始日期", "Start", "date", required=True),
            Field("note", "说明", "Note, e.g. 包装岗位"),
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
        done="联结农户已登记 Household linked",
        then=lambda _: _back(e, "#households"),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def year_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The enterprise's yearly output value, revenue and profit (its own user or the county)."""
    e = selectors.enterprise_get(request.user, pk)
    if not selectors.can_edit(request.user, e):
        raise Forbidden("您只能查看该企业，不能修改", "You may view this enterprise but not change it")
    page = FormPage(
        f"{e.name} · 填报年度产值利润", "Yearly output value and profit",
        [
            Field("year", "年度", "Year", "number", required=True, mode="numeric"),
            Field("output_value", "产值（元）", "Output value, yuan", required=True, mode="decimal"),
            Field("revenue", "营业收入（元）", "Revenue, yuan", required=True, mode="decimal"),
            Field("profit", "利润（元）", "Profit, yuan (negative for a loss)", required=True, mode="decimal"),
        ],
        reverse("market:enterprise_detail", args=[e.pk]) + "#figures",
        intro="同一年度再次填报将更正原数据。Reporting a year again corrects it.",
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
        done="年度数据已保存 Figures saved",
        then=lambda y: redirect(reverse("market:enterprise_detail", args=[e.pk]) + f"?year={y.year}#figures"),
    )


# --- buyers, targets, parameters ----------------------------------------------------------------------


@login_required
@writes(Cap.MARKET_EDIT)
def buyer_new(request: AuthedHttpRequest) -> HttpResponse:
    page = FormPage(
        "登记采购单位", "Register an institutional buyer",
        [
            Field("name", "单位名称", "Name", required=True),
            Field("kind", "类型", "Kind", "select", _opts(codes.BUYER_KIND_LABELS), required=True),
            Field("area_code", "所在地", "Area", "select", _areas(request.user), required=True),
            Field("has_canteen", "有食堂", "Has a canteen (units without one are exempt from the share)", "checkbox"),
            Field("contact", "联系人", "Contact"),
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
        ),
        done="采购单位已登记 Buyer registered",
        then=lambda _: redirect("market:buyer_list"),
    )


@login_required
@writes(Cap.MARKET_EDIT)
def target_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The buyer's canteen purchases for a year; the share defaults to the area's parameter."""
    buyer = selectors.buyer_get(request.user, pk)
    if not selectors.is_officer_for(request.user, buyer.area_id):
        raise _not_officer()
    page = FormPage(
        f"{buyer.name} · 年度采购目标", "Yearly procurement target",
        [
            Field("year", "年度", "Year", "number", required=True, mode="numeric"),
            Field("canteen_purchases", "食堂采购总额（元）", "Canteen purchases in the year, yuan",
                  required=True, mode="decimal"),
            Field("share", "预留比例", "Share, e.g. 0.10; empty: the area's parameter", mode="decimal"),
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
        done="采购目标已保存 Target saved",
        then=lambda year: redirect(reverse("market:buyer_list") + f"?year={year}"),
        targets=targets,
        below="market/_targets.html",
    )


@login_required
@writes(Cap.MARKET_EDIT)
def parameters(request: AuthedHttpRequest) -> HttpResponse:
    """The market parameters per area with effective dates; a new row never rewrites the past."""
    page = FormPage(
        "特色产业参数", "Market parameters",
        [
            Field("area_code", "适用地区", "Area", "select", _areas(request.user), required=True),
            Field("key", "参数", "Parameter", "select", _opts(codes.PARAM_LABELS), required=True),
            Field("value", "取值", "Value: share as 0.10; validity in months", required=True, mode="decimal"),
            Field("effective_from", "生效日期", "Effective from", "date", required=True),
        ],
        reverse("market:enterprise_list"),
        intro="下级地区的设置优先于上级；同一地区按生效日期取最新。The most specific area wins, then the latest date.",
    )  # fmt: skip
    extra: dict[str, Any] = {"params": selectors.parameters_visible(request.user), "below": "market/_parameters.html"}

    def run(v: dict[str, str]) -> None:
        if v["key"] not in codes.PARAM_LABELS:
            raise invalid("key", "请选择参数", "choose a parameter")
        services.parameter_set(
            actor=request.user,
            area_code=v["area_code"],
            key=codes.ParamKey(v["key"]),
            value=decimal_value(v["value"], "value", "取值"),
            effective_from=date_value(v["effective_from"], "effective_from", "生效日期"),
        )

    return page.post(
        request, run=run, done="参数已保存 Parameter saved", then=lambda _: redirect("market:parameters"), **extra
    )
