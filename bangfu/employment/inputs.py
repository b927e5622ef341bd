"""What a person typed on an employment page or sent to its API, parsed at the edge with `core.inputs`:
each function returns the typed input its service takes, or raises one `ValidationFailed` with every
problem beside its field (zh + en). The services then check only their business rules (a wage rule in
force, the per-household limit, a village the actor may act in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from bangfu.core import inputs as core
from bangfu.core.domain import credit_code
from bangfu.core.domain.money import ZERO
from bangfu.core.errors import invalid
from bangfu.core.inputs import Problems, blank
from bangfu.employment.domain.wages import DAY_COUNT_LABELS, WageKind
from bangfu.employment.models import CollectiveAsset, EmploymentPolicy, WelfarePost, Workshop
from bangfu.employment.services import (
    POLICY_FIELDS,
    WORKSHOP_EDITABLE,
    AssetInput,
    ContractInput,
    CourseInput,
    OperatorInput,
    PolicyInput,
    PostInput,
    WageRuleInput,
    WorkshopFacts,
    WorkshopInput,
)

_YES = {"1", "true", "on", "yes", "是"}


def _id(value: Any) -> int | None:
    """A row picked from a list (a form's select, an API's id): its id, or None when none was picked."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _flag(value: Any) -> bool:
    """A checkbox ("on") or a JSON boolean."""
    return value is True or str(value or "").strip().lower() in _YES


def _person(v: Mapping[str, Any]) -> dict[str, Any]:
    """Who is hired, trained or posted: a member's id (officers pick one) or the ID number typed."""
    return {"member_id": _id(v.get("member_id")), "id_number": str(v.get("id_number") or "").strip() or None}


def _required_text(p: Problems, v: Mapping[str, Any], field: str, zh: str, en: str, max_len: int = 120) -> str:
    return p.text(v.get(field), field, max_len=max_len, required=True, multiline=True, zh=zh, en=en)


def contract_input(v: Mapping[str, Any]) -> ContractInput:
    """A contract (the workshop page's hire form, `POST …/contracts`)."""
    with Problems() as p:
        c = ContractInput(
            start=p.date(v.get("start"), "start", future=True),
            job=_required_text(p, v, "job", "岗位", "job", 60),
            term_months=p.whole(v.get("term_months"), "term_months", low=1, high=120),
            wage_code=_required_text(p, v, "wage_code", "工资规则编号", "wage rule code", 20),
            probation_months=p.whole(v.get("probation_months") or 0, "probation_months", high=6),
            probation_pay=p.money(v.get("probation_pay") or 0, "probation_pay"),
            **_person(v),
        )
    return c


def post_input(v: Mapping[str, Any]) -> PostInput:
    """An appointment to a welfare post (the posts page, `POST /welfare-posts`)."""
    with Problems() as p:
        level = str(v.get("level") or "")
        if level not in dict(WelfarePost.LEVELS):
            p.add("level", "请选择岗位级别：行业部门、乡镇或村级", "choose the level: ministry, township or village")
        post = PostInput(
            level=level,
            post_type=_required_text(p, v, "post_type", "岗位类型", "post type", 40),
            start=p.date(v.get("start"), "start", future=True),
            end=p.date(v.get("end"), "end", required=False, future=True),
            monthly_pay=p.money(v.get("monthly_pay"), "monthly_pay", positive=True),
            **_person(v),
        )
    return post


def course_input(v: Mapping[str, Any]) -> CourseInput:
    """A training course (the course form, `POST /courses`)."""
    with Problems() as p:
        course = CourseInput(
            provider=_required_text(p, v, "provider", "培训机构", "provider"),
            place=_required_text(p, v, "place", "培训地点", "place"),
            province=_required_text(p, v, "province", "培训省份", "province", 20),
            skill=_required_text(p, v, "skill", "培训工种", "skill", 60),
            start=p.date(v.get("start"), "start", future=True),
            end=p.date(v.get("end"), "end", future=True),
            hours=p.whole(v.get("hours"), "hours", low=1, high=2000),
            village=str(v.get("village") or "").strip(),
            workshop_id=_id(v.get("workshop")),
            order_based=_flag(v.get("order_based")),
            certificate=str(v.get("certificate") or "")[:100],
        )
    return course


def _kind(value: Any) -> str:
    kind = str(value or "")
    if kind not in dict(Workshop.KINDS):
        raise invalid(
            "kind",
            "请选择车间类型：厂房式、居家式、种养式、贸易流通式或文化旅游式",
            "choose the type: factory, home-based, farming, trade or tourism",
        )
    return kind


_ATTRS = {"land_village": "land_village_id", "site": "site_id"}  # the facts as a Workshop holds them


def _site(value: Any) -> int | None:
    if blank(value):
        return None
    site = _id(value)
    if site is None:
        raise invalid("site", "请从列表中选择安置点", "choose a resettlement site from the list")
    return site


def _facts(p: Problems, v: Mapping[str, Any], current: Workshop | None = None) -> WorkshopFacts:
    """The workshop's own facts: those sent parsed, the others (a PATCH) as `current` has them."""
    parsers: dict[str, Callable[[Any], Any]] = {
        "name": lambda x: core.text(
            x, "name", max_len=120, required=True, multiline=True, zh="车间名称", en="workshop name"
        ),
        "kind": _kind,
        "land_village": lambda x: str(x or "").strip(),
        "site": _site,
        "site_distance": lambda x: str(x or "").strip()[:60],
        "started_on": lambda x: core.date(x, "started_on", future=True),
        "insurance_per_worker_month": lambda x: core.money(x or 0, "insurance_per_worker_month"),
    }
    values = {
        k: p.check(parse, v.get(k)) if current is None or k in v else getattr(current, _ATTRS.get(k, k))
        for k, parse in parsers.items()
    }
    return WorkshopFacts(**values)


def _credit_code(value: Any) -> str:
    try:  # GB 32100 with its check character: the same validator as the market module's
        return credit_code.parse(str(value or ""))
    except credit_code.InvalidCreditCode as exc:
        raise invalid("operator_credit_code", exc.zh, exc.en) from None


def workshop_input(v: Mapping[str, Any]) -> WorkshopInput:
    """A new workshop with its operator (the workshop form, `POST /workshops`)."""
    with Problems() as p:
        w = WorkshopInput(
            village=str(v.get("village") or "").strip(),
            facts=_facts(p, v),
            operator=OperatorInput(
                credit_code=p.check(_credit_code, v.get("operator_credit_code"), fallback=""),
                name=p.text(
                    v.get("operator_name"),
                    "operator_name",
                    max_len=120,
                    multiline=True,
                    zh="运营主体名称",
                    en="operator name",
                ),
                contact=str(v.get("operator_contact") or "")[:60],
                phone=str(v.get("operator_phone") or "")[:20],
            ),
        )
    return w


def workshop_changes(v: Mapping[str, Any], current: Workshop) -> tuple[WorkshopFacts, tuple[str, ...]]:
    """The facts of a workshop after an edit and which of them were sent (the form sends all of them,
    a PATCH those it names)."""
    with Problems() as p:
        facts = _facts(p, v, current)
    return facts, tuple(k for k in WORKSHOP_EDITABLE if k in v)


def _wage_kind(value: Any) -> str:
    kind = str(value or "")
    if kind not in {k.value for k in WageKind}:
        raise invalid(
            "kind",
            "请选择计薪方式：底薪+计件、计日或固定月薪",
            "choose the wage kind: base plus piece rate, day rate or fixed",
        )
    return kind


def wage_rule_input(v: Mapping[str, Any]) -> WageRuleInput:
    """A wage schedule from a date (the workshop page's wage form, `POST …/wage-rules`)."""
    with Problems() as p:
        rule = WageRuleInput(
            code=_required_text(p, v, "code", "规则编号", "rule code", 20),
            name=_required_text(p, v, "name", "规则名称", "rule name", 60),
            effective_from=p.date(v.get("effective_from"), "effective_from", future=True),
            kind=p.check(_wage_kind, v.get("kind"), fallback=""),
            base=p.money(v.get("base") or 0, "base"),
            piece_rate=p.money(v.get("piece_rate") or 0, "piece_rate"),
            day_rate=p.money(v.get("day_rate") or 0, "day_rate"),
            fixed=p.money(v.get("fixed") or 0, "fixed"),
            cap=p.money(v.get("cap"), "cap", required=False, positive=True),
        )
    return rule


_POLICY_AMOUNTS = {"min_insurance_per_worker_month", "upgrade_min_average_annual_pay", "upgrade_min_annual_revenue"}


def _policy_value(name: str, raw: Any) -> Any:
    if name == "note":
        return str(raw or "")[:200]
    if name == "probation_day_count":
        if blank(raw):
            return "calendar"
        if raw not in DAY_COUNT_LABELS:
            raise invalid(
                name,
                f"请选择：{'、'.join(DAY_COUNT_LABELS.values())}",
                f"choose one of {', '.join(DAY_COUNT_LABELS)}",
            )
        return str(raw)
    if name == "probation_end_day_included":
        return raw is True or raw == 1 or str(raw) in {"true", "True", "on", "1", "是"}
    if name == "welfare_posts_per_household":  # empty: the rules of the area set no limit
        return None if blank(raw) else core.whole(raw, name, low=1, high=10)
    if blank(raw):
        label = next(f.verbose_name for f in EmploymentPolicy._meta.fields if f.name == name)
        raise invalid(name, f"请填写“{label}”", f"enter {name.replace('_', ' ')}")
    return core.money(raw, name) if name in _POLICY_AMOUNTS else core.whole(raw, name, high=1000)


def policy_input(v: Mapping[str, Any]) -> PolicyInput:
    """A parameter row from a date (the parameters page, `POST /policies`): every problem at once."""
    with Problems() as p:
        start = p.date(v.get("effective_from"), "effective_from", future=True)
        values = {name: p.check(_policy_value, name, v.get(name)) for name in POLICY_FIELDS}
    return PolicyInput(effective_from=start, **values)


def asset_input(v: Mapping[str, Any]) -> AssetInput:
    """A collective asset (the assets page, `POST /assets`), every problem at once."""
    with Problems() as p:
        asset = AssetInput(
            village=p.code(v.get("village"), "village", max_len=12, digits=True, zh="所属村集体", en="village"),
            name=p.name(v.get("name"), "name", max_len=120, zh="资产名称", en="asset name"),
            kind=p.choice(v.get("kind"), "kind", dict(CollectiveAsset.KINDS)),
            annual_rent=p.money(v.get("annual_rent"), "annual_rent", required=False) or ZERO,
            workshop_id=_id(v.get("workshop")),
        )
    return asset


def share(value: Any) -> Decimal:
    """The collective's share, typed as a percentage (40 or 40%) or a fraction (0.4)."""
    raw = str(value).strip().rstrip("%")
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise invalid(
            "collective_share",
            "集体留存比例请填写0到100之间的百分数，如 40",
            "enter the collective's share as a percentage from 0 to 100, e.g. 40",
        ) from None
    d = d / 100 if d > 1 or str(value).strip().endswith("%") else d
    if not 0 <= d <= 1:
        raise invalid("collective_share", "集体留存比例须在0%到100%之间", "the collective's share must be 0–100%")
    return d.quantize(Decimal("0.0001"))


def dividend_rule_input(v: Mapping[str, Any]) -> tuple[dt.date, Decimal]:
    """The date and the collective's share of a split rule (the asset page, `POST …/rules`)."""
    with Problems() as p:
        start = p.date(v.get("effective_from"), "effective_from", future=True)
        kept = p.check(share, v.get("collective_share"))
    return start, kept
