"""Reads of rules. Scoped reads take the acting user; the engine helpers resolve what is in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.selectors import get_or_404
from bangfu.rules.domain.rules import RuleSetDef, parse_ruleset
from bangfu.rules.models import MonitoringLine, Rule, RuleSet

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def area_prefix(code: str) -> str:
    """Significant digits of a 12-digit area code (province 2, prefecture 4, county 6, township 9)."""
    for width in (2, 4, 6, 9):
        if code[width:].strip("0") == "":
            return code[:width]
    return code


def rulesets_visible(user: User) -> QuerySet[RuleSet]:
    """Versions of the user's areas and of the areas above them (the province default they inherit)."""
    scope = areas.scope_for(user, Cap.CONFIGURE)
    if scope.everything:
        return RuleSet.objects.all()
    codes = {p.ljust(12, "0") for p in scope.prefixes}
    above = {pfx.ljust(12, "0") for p in scope.prefixes for pfx in (p[:2], p[:4], p[:6], p[:9]) if pfx}
    q = scope.q(village="area_id", grid=None) | Q(area_id__in=codes | above)
    return RuleSet.objects.filter(q).select_related("area")


def ruleset_get(user: User, pk: int) -> RuleSet:
    rs = get_or_404(rulesets_visible(user).prefetch_related("rules"), pk)
    return rs


def may_edit(user: User, rs: RuleSet) -> bool:
    return areas.scope_for(user, Cap.CONFIGURE).covers_code(rs.area_id)


def definition_of(rs: RuleSet) -> RuleSetDef:
    rules = [{"code": r.code, "zh": r.zh, "en": r.en, "risk": r.risk, "when": r.when} for r in rs.rules.all()]
    return parse_ruleset(rs.window, rs.params, rules)


def rule_terms(ruleset_id: int, code: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """A rule's conditions as stored (None if there is no such rule) and its rule set's parameters: what
    monitoring makes a warning's sentence of on read (published rule sets never change)."""
    row = Rule.objects.filter(ruleset_id=ruleset_id, code=code).values_list("when", "ruleset__params").first()
    return (None, {}) if row is None else row


def rulesets_in_force(village_codes: Iterable[str], as_of: dt.date) -> dict[str, RuleSet]:
    """village code → the version in force on `as_of`: the most specific area wins (county over province)."""
    live = list(
        RuleSet.objects.filter(status=RuleSet.PUBLISHED, effective_from__lte=as_of)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=as_of))
        .prefetch_related("rules")
    )
    by_prefix = sorted(((area_prefix(rs.area_id), rs) for rs in live), key=lambda t: -len(t[0]))
    out: dict[str, RuleSet] = {}
    for v in village_codes:
        for pfx, rs in by_prefix:
            if v.startswith(pfx):
                out[v] = rs
                break
    return out


def ruleset_for_village(village_code: str, as_of: dt.date) -> RuleSet | None:
    return rulesets_in_force([village_code], as_of).get(village_code)


def lines_for(village_codes: Iterable[str], year: int) -> dict[str, Decimal]:
    """village code → the monitoring line of `year` (county row over province row)."""
    rows = sorted(
        ((area_prefix(ml.area_id), ml.amount) for ml in MonitoringLine.objects.filter(year=year)),
        key=lambda t: -len(t[0]),
    )
    out: dict[str, Decimal] = {}
    for v in village_codes:
        for pfx, amount in rows:
            if v.startswith(pfx):
                out[v] = amount
                break
    return out


def lines_visible(user: User) -> QuerySet[MonitoringLine]:
    scope = areas.scope_for(user, Cap.CONFIGURE)
    above = {pfx.ljust(12, "0") for p in scope.prefixes for pfx in (p[:2], p[:4], p[:6]) if pfx}
    return MonitoringLine.objects.filter(scope.q(village="area_id", grid=None) | Q(area_id__in=above))


# --- the editor's preview ----------------------------------------------------------------------------
# What publishing a draft would change is computed by the screening engine, which lives in monitoring,
# above rules. Rules imports no app above it: monitoring hands its preview over in its AppConfig.ready
# (`preview_by(monitoring.services.ruleset_preview)`), and the rule editor's page and API call this.

type Preview = Callable[..., dict[str, Any]]
_PREVIEW: list[Preview] = []


def preview_by(run: Preview) -> None:
    """Register the function that previews a draft (keyword arguments actor, ruleset, as_of)."""
    _PREVIEW[:] = [run]


def ruleset_preview(*, actor: User, ruleset: RuleSet, as_of: dt.date) -> dict[str, Any]:
    """Households the version would flag on `as_of`, by township, with those added and removed."""
    if not _PREVIEW:  # a deployment without bangfu.monitoring in INSTALLED_APPS
        raise ImproperlyConfigured("The rule editor's preview needs bangfu.monitoring (it registers the preview)")
    return _PREVIEW[0](actor=actor, ruleset=ruleset, as_of=as_of)
