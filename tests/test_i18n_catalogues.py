"""The words of the interface are translated through Django's catalogues (issue #16, docs/i18n.md).

- Every template's Chinese is inside `{% translate %}`/`{% blocktranslate %}` (or `_("…")` in a tag), and
  a full-width mark between values is `{% punct "：" %}` (": " in English),
  so an English reader never meets it; a printed official document in Chinese says so at its top with
  `{# i18n: Chinese document #}`.
- Every English catalogue is complete: no entry without a translation, none left fuzzy.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bangfu"
# Chinese characters, and the full-width marks a template writes between values (（）：，；、。): in English
# they read as Chinese; they belong inside a translation or in {% punct "：" %}
CJK = re.compile(r"[\u3400-\u9fff\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b]")
CHINESE_DOCUMENT = "{# i18n: Chinese document #}"
TRANSLATED = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s+(\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
    re.compile(r'\{%\s*punct\s+"[^"]*"\s*%\}'),
]
# the language switch names the other language in that language
ALLOWED = re.compile(r'value="zh-hans">中文<')


def _templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.html") if "static" not in p.parts)


def _untranslated(text: str) -> list[str]:
    for pattern in TRANSLATED:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = ALLOWED.sub("", text)
    return [f"{n}: {line.strip()[:80]}" for n, line in enumerate(text.splitlines(), 1) if CJK.search(line)]


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_chinese_is_translatable(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    if text.startswith(CHINESE_DOCUMENT) or CHINESE_DOCUMENT in text.split("\n", 2)[0]:
        return
    lines = _untranslated(text)
    assert not lines, f"{template.relative_to(ROOT)}: Chinese outside {{% translate %}}:\n" + "\n".join(lines)


def _catalogues() -> list[Path]:
    return sorted(ROOT.rglob("locale/en/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_is_complete(po: Path) -> None:
    stats = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{po.relative_to(ROOT)}: {stats.strip()}"


def test_the_interface_is_translated_through_catalogues() -> None:
    assert _catalogues(), "no English catalogue: run bash scripts/messages.sh make"
