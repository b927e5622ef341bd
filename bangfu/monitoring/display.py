"""How monitoring's values read on a page or in an export, in the reader's language: a warning's facts
as its sentence writes them (104.3%, 12,000 元), never the stored ratio or code, and the sentence itself,
made on read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.i18n import english, in_language
from bangfu.core.templatetags.bangfu import count, money, percent
from bangfu.monitoring.domain.sentence import sentence as domain_sentence
from bangfu.rules import selectors as rules
from bangfu.rules.domain.facts import FACTS, Unit

if TYPE_CHECKING:
    from bangfu.monitoring.models import Warning


# The national risk categories a rule feeds (rules.domain.rules.Rule.risk), stored as these words:
# marked here so the catalogue holds them, translated where shown (`{% translate w.risk %}`).
RISK_WORDS = (
    gettext_noop("因病"),
    gettext_noop("因学"),
    gettext_noop("因灾"),
    gettext_noop("收入"),
    gettext_noop("其他"),
)
# FeedBatch.source's labels (`{% translate b.get_source_display %}`).
SOURCE_WORDS = (gettext_noop("文件"), gettext_noop("接口"))


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str
    threshold: str


def fact_value(code: str, raw: object) -> str:
    """One fact's value as the sentence writes it, in the reader's language."""
    fact = FACTS.get(code)
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return "—"
    if fact is None:
        return str(raw)
    if fact.unit == Unit.YUAN:
        return _("%(amount)s 元") % {"amount": money(value).removesuffix(".00")}
    if fact.unit == Unit.RATIO:
        return percent(value)
    if fact.unit == Unit.FLAG:
        return _("是") if value else _("否")
    return in_language(f"{count(value)} {fact.counted}", count(value))


def fact_rows(w: Warning) -> list[FactRow]:
    """The facts the warning was raised on, each beside the threshold it was compared with."""
    rows = []
    for code, value in w.facts.items():
        fact = FACTS.get(code)
        label = in_language(fact.zh, fact.en[:1].upper() + fact.en[1:]) if fact else code
        limit = w.thresholds.get(code)
        rows.append(FactRow(label, fact_value(code, value), fact_value(code, limit) if limit not in (None, "") else ""))
    return rows


def explanation(w: Warning) -> str:
    """Why the warning was raised, in Chinese, made on read (`domain.sentence`): the rule's conditions
    and parameters come with the warning (`selectors.with_sentence`), or are asked for when it was read
    alone; so does the decided warning it came back after. A warning stored with a sentence that reads
    otherwise (before sentences were made on read) says what it said."""
    if w.sentence_kept:
        return w.sentence_kept
    if hasattr(w, "rule_when"):
        when, params = w.rule_when, getattr(w, "rule_params", None) or {}
    else:
        when, params = rules.rule_terms(w.ruleset_id, w.rule_code)
    before = w.previous if w.previous_id is not None else None
    came_back = None if before is None else (w.source(), before.decided(), w.as_of)
    return domain_sentence(when, params, w.facts, w.thresholds, came_back)


def sentence(w: Warning) -> str:
    """Why the warning was raised, in the reader's language: the Chinese sentence (`explanation`), or in
    English each fact the rule met beside its threshold."""
    if not english():
        return w.explanation
    threshold = _("阈值")  # outside the f-string: makemessages does not read inside one
    parts = [f"{r.label} {r.value}" + (f" ({threshold} {r.threshold})" if r.threshold else "") for r in fact_rows(w)]
    return "; ".join(parts) or w.explanation  # each part begins with its fact's label, capitalised
