"""Template helpers: dictionary look-up, select options as pairs, numbers as a Chinese office writes
them (money, 万元, counts, percentages), words that carry both languages, whether a stored file can be
previewed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from bangfu.core import files, links
from bangfu.core.i18n import bilingual, english

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def choices(options: Any) -> list[tuple[Any, Any]]:
    """Options of a select as (value, label) pairs; a plain value is its own label ("" shows as —)."""
    out: list[tuple[Any, Any]] = []
    for o in options or ():
        if isinstance(o, list | tuple) and len(o) == 2:
            out.append((o[0], o[1]))
        else:
            out.append((o, o if o not in (None, "") else "—"))
    return out


@register.filter
def without(errors: Any, names: Any) -> list[str]:
    """The messages of `errors` (field → messages) whose field is not among `names`: the ones no field shows."""
    shown = set(names or ())
    return [m for k, msgs in (errors or {}).items() if k not in shown for m in msgs]


@register.filter
def money(value: Any) -> str:
    """12,345.60 — thousands separated, two places, for yuan amounts."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def wan(value: Any) -> str:
    """A large yuan amount as an office reads it: 333,749.00 → 33.37万 (from 10万 up); smaller amounts,
    and every amount in English, as `money`. The unit 元/万元 is the template's."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value)
    if english() or abs(amount) < 100_000:
        return money(amount)
    return f"{amount / 10_000:,.2f}万"


@register.filter
def count(value: Any) -> str:
    """A whole number with thousands separators: 6003 → 6,003."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}"


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A ratio as a percentage: 0.7000 → 70%, 0.92307 → 92.3% (no trailing zeros)."""
    if value in (None, ""):
        return "—"
    text = f"{Decimal(value) * 100:.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def tr(value: Any) -> str:
    """A value that carries both languages (`.zh`/`.en`, or a mapping with those keys) in the reader's."""
    return bilingual(value)


@register.filter
def previewable(stored_name: str | None) -> bool:
    """Whether a stored file (by its generated name) is an image or PDF a browser may show in place."""
    return files.previewable(stored_name or "")


@register.filter
def url_of(pk: Any, name: str) -> str:
    """`{{ h.pk|url_of:"registry:household_detail" }}`: `{% url name pk %}` without walking the URL
    resolver for every row of a list (bangfu.core.links)."""
    return links.url(name, int(pk))


# Chinese punctuation between values a template joins (a name and its number in brackets, a date and
# what happened on it): full-width in Chinese, the English marks and spacing in English. Punctuation
# inside a translated sentence belongs to the sentence and its catalogue entry.
ENGLISH_MARKS = {"（": " (", "）": ")", "：": ": ", "，": ", ", "；": "; ", "、": ", ", "。": ". "}


@register.simple_tag
def punct(mark: str) -> str:
    """{% punct "：" %}: the mark in the reader's language (tests/test_i18n_catalogues.py finds any
    full-width mark a template writes outside it and outside a translation)."""
    return ENGLISH_MARKS[mark] if english() else mark


@register.filter
def listed(values: Any) -> str:
    """{{ places|listed }}: items joined as the reader writes a list (甲、乙 / A, B)."""
    return punct("、").join(str(v) for v in values)
