"""Writes of rules: drafts, edits, publishing versions, monitoring lines. Every write is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.domain import inputs
from bangfu.core.domain.money import yuan
from bangfu.core.errors import ApplicationError, Conflict, FieldProblem, NotFound, ValidationFailed, invalid
from bangfu.core.services import audit_record
from bangfu.rules import selectors as rule_selectors
from bangfu.rules.domain import defaults
from bangfu.rules.domain.rules import RuleError, parse_ruleset
from bangfu.rules.models import MonitoringLine, Rule, RuleSet

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _check(window: str, params: dict[str, Any], rules: list[dict[str, Any]]) -> None:
    try:
        parse_ruleset(window, params, rules)
    except RuleError as exc:
        raise ValidationFailed([FieldProblem("rules", exc.zh, exc.en)], zh=exc.zh, en=exc.en) from None


@transaction.atomic
def ruleset_create_draft(*, actor: User | None, area_code: str, base: RuleSet | None = None, note: str = "") -> RuleSet:
    """A new draft for the area, copied from `base` (the version in force) or from the defaults."""
    areas.require(actor, Cap.CONFIGURE, area_code)
    if areas.area_by_code(area_code) is None:
        raise invalid("area", "区划不存在", "the area does not exist")
    if RuleSet.objects.filter(area_id=area_code, status=RuleSet.DRAFT).exists():
        raise Conflict(
            "该区域已有未发布的草稿，请先发布或删除它", "This area already has a draft; publish or delete it first"
        )
    version = (RuleSet.objects.filter(area_id=area_code).aggregate(v=Max("version"))["v"] or 0) + 1
    if base is not None:
        window, params = base.window, dict(base.params)
        rules = [{"code": r.code, "zh": r.zh, "en": r.en, "risk": r.risk, "when": r.when} for r in base.rules.all()]
    else:
        window, params, rules = defaults.DEFAULT_WINDOW, dict(defaults.DEFAULT_PARAMS), defaults.DEFAULT_RULES
    rs = RuleSet.objects.create(
        area_id=area_code,
        version=version,
        window=window,
        params=params,
        note=note,
        created_by=actor if actor is not None else None,
    )
    _replace_rules(rs, rules)
    audit_record(actor=actor, action="ruleset_create_draft", obj=rs, area_code=area_code, reason=note)
    return rs


def ruleset_start_draft(*, actor: User, area_code: str = "", note: str = "") -> RuleSet:
    """The editor's "new draft" (page and API): for `area_code`, by default the actor's first area
    with CONFIGURE, copied from the version in force there (or the defaults)."""
    if not area_code:
        scope = areas.scope_for(actor, Cap.CONFIGURE)
        if not scope.prefixes:
            raise NotFound()
        area_code = scope.prefixes[0].ljust(12, "0")
    base = rule_selectors.ruleset_for_village(area_code, timezone.localdate())
    return ruleset_create_draft(actor=actor, area_code=area_code, base=base, note=note)


def _replace_rules(rs: RuleSet, rules: list[dict[str, Any]]) -> None:
    rs.rules.all().delete()
    Rule.objects.bulk_create(
        [
            Rule(
                ruleset=rs,
                code=r["code"],
                zh=r.get("zh", r["code"]),
                en=r.get("en", ""),
                risk=r.get("risk", "其他"),
                when=r["when"],
                position=i,
            )
            for i, r in enumerate(rules)
        ]
    )


@transaction.atomic
def ruleset_update_draft(
    *,
    actor: User | None,
    ruleset: RuleSet,
    window: str,
    params: dict[str, Any],
    rules: list[dict[str, Any]],
    note: str = "",
) -> RuleSet:
    """Replace the draft's window, parameters and rules after checking them against the vocabulary."""
    areas.require(actor, Cap.CONFIGURE, ruleset.area_id)
    if ruleset.status != RuleSet.DRAFT:
        raise Conflict("已发布的版本不能修改，请新建草稿", "A published version cannot change; create a new draft")
    _check(window, params, rules)
    ruleset.window, ruleset.params, ruleset.note = window, {k: str(v) for k, v in params.items()}, note
    ruleset.save(update_fields=["window", "params", "note"])
    _replace_rules(ruleset, rules)
    audit_record(actor=actor, action="ruleset_update_draft", obj=ruleset, area_code=ruleset.area_id, reason=note)
    return ruleset


@transaction.atomic
def ruleset_publish(*, actor: User | None, ruleset: RuleSet, effective_from: dt.date) -> RuleSet:
    """Put a draft in force from `effective_from`; the version in force until then ends that day.

    Warnings keep the version they were raised under, so publishing never rewrites history.
    """
    areas.require(actor, Cap.CONFIGURE, ruleset.area_id)
    rs = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if rs.status != RuleSet.DRAFT:
        raise Conflict("该版本已发布", "This version is already published")
    rules = [{"code": r.code, "zh": r.zh, "en": r.en, "risk": r.risk, "when": r.when} for r in rs.rules.all()]
    _check(rs.window, rs.params, rules)
    current = RuleSet.objects.filter(area_id=rs.area_id, status=RuleSet.PUBLISHED, effective_to__isnull=True)
    if current.filter(effective_from__gt=effective_from).exists():
        raise invalid(
            "effective_from", "生效日期不能早于现行版本的生效日期", "the start date cannot precede the version in force"
        )
    current.update(effective_to=effective_from)
    rs.status, rs.effective_from = RuleSet.PUBLISHED, effective_from
    rs.published_at, rs.published_by = timezone.now(), actor if actor is not None else None
    rs.save()
    audit_record(
        actor=actor,
        action="ruleset_publish",
        obj=rs,
        area_code=rs.area_id,
        data={"version": rs.version, "effective_from": effective_from.isoformat()},
    )
    return rs


@transaction.atomic
def ruleset_delete_draft(*, actor: User | None, ruleset: RuleSet) -> None:
    areas.require(actor, Cap.CONFIGURE, ruleset.area_id)
    if ruleset.status != RuleSet.DRAFT:
        raise Conflict("已发布的版本不能删除", "A published version cannot be deleted")
    audit_record(actor=actor, action="ruleset_delete_draft", obj=ruleset, area_code=ruleset.area_id)
    ruleset.delete()


@transaction.atomic
def ruleset_seed_default(*, actor: User | None, area_code: str, effective_from: dt.date) -> RuleSet:
    """Publish the default rule set of the domain brief for an area (a province, normally)."""
    draft = ruleset_create_draft(actor=actor, area_code=area_code, note="默认规则 default rules")
    return ruleset_publish(actor=actor, ruleset=draft, effective_from=effective_from)


@transaction.atomic
def monitoring_line_set(
    *, actor: User | None, area_code: str, year: int, amount: Decimal | str | int, note: str = ""
) -> MonitoringLine:
    areas.require(actor, Cap.CONFIGURE, area_code)
    problems: list[FieldProblem] = []
    value = Decimal(0)
    try:
        value = yuan(amount)
    except (ValueError, ArithmeticError):
        problems.append(
            FieldProblem("amount", "监测线金额应为数字，如 6800", "The line is an amount in yuan, e.g. 6800")
        )
    else:
        if not 0 < value < Decimal("1000000"):
            problems.append(
                FieldProblem("amount", "监测线应大于0、小于100万元", "The line is above zero and below 1,000,000 yuan")
            )
    latest = timezone.localdate().year + 1
    if not 2013 <= int(year or 0) <= latest:
        problems.append(FieldProblem("year", f"年度应在2013到{latest}之间", f"The year lies between 2013 and {latest}"))
    try:
        note = inputs.text(note, "note", max_len=200, zh="依据", en="basis")
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    if areas.area_by_code(area_code) is None:
        raise ApplicationError(zh="区划不存在", en="The area does not exist")
    line, _ = MonitoringLine.objects.update_or_create(
        area_id=area_code, year=int(year), defaults={"amount": value, "note": note}
    )
    audit_record(
        actor=actor,
        action="monitoring_line_set",
        obj=line,
        area_code=area_code,
        data={"year": int(year), "amount": str(value)},
    )
    return line
