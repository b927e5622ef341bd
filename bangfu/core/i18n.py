"""One language at a time: the active language (Django's, set by LocaleMiddleware) picks the words.

Words written in templates and code are Chinese msgids translated by the catalogues (docs/i18n.md).
Values that carry both languages themselves (an ApplicationError, a rule, a fact) are shown with
`in_language(zh, en)` here, or the `tr` template filter.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def in_language(zh: str, en: str) -> str:
    """The one of the two the reader reads; Chinese when no English was written."""
    return en if english() and en else zh


def bilingual(value: Any) -> str:
    """`value.zh` / `value.en` (an object or a mapping) in the active language."""
    if isinstance(value, dict):
        return in_language(str(value.get("zh", "")), str(value.get("en", "")))
    return in_language(str(getattr(value, "zh", "")), str(getattr(value, "en", "")))
