"""Marking words for translation in pure Python (the domain layer cannot import Django).

`gettext_noop` returns its argument unchanged; the name is one `makemessages` extracts, so a label
written here lands in the English catalogue and is translated where it is shown (`{% translate label %}`
in a template, `gettext(label)` in Python). See docs/i18n.md.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message
