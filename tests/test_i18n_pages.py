"""One language at a time (issue #16, UX review P5 and P13): every page reachable from each demo role's
navigation is read in Chinese and in English.

- Chinese: no inline English gloss (`class="en"`) and no internal code (`medical_cost`, `open`,
  `visit:15`, `SEW`: the values of the product's choices and states) in the visible text.
- English: no Chinese word left untranslated. Chinese that comes from the data (names, villages,
  products, notes typed by users) is allowed: every text value stored in the database is taken out of
  the page before the check.

`BANGFU_I18N_APPS=registry,areas` limits the report to those apps' pages (for working on one app); the
crawl itself always covers every role.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve

from bangfu.testing import code_values

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 60
PAGES_PER_ROUTE = 2  # two households, not sixty: the crawl looks at each kind of page
SKIP = re.compile(
    r"^/(static|media|files|api|admin|i18n|sw\.js|manifest)|/accounts/logout|/export|/download|"
    r"\.(xlsx|csv|pdf|json|png|jpg|svg|ics)$|/template|/reveal|/print"
)
CJK = re.compile(r"[\u3400-\u9fff]+")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
SOURCE_REF = re.compile(r"\b[a-z_]+:\d+\b")  # "visit:15", "warning:1"
WORD = re.compile(r"\b[A-Za-z][A-Za-z_]+\b")
ALWAYS_ALLOWED_ZH = {"中文"}  # the language switch names the other language in that language


class _Text(HTMLParser):
    """Visible text (and the attributes people read) and the links of a page."""

    VISIBLE_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._gloss: list[str] = []  # open tags, from an inline English gloss's own tag inward
        self.glosses = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "template", "noscript", "code"):  # <code>: a command, verbatim
            self._hidden += 1
        if self._gloss:
            self._gloss.append(tag)
        elif "en" in (a.get("class") or "").split():
            self.glosses += 1
            self._gloss.append(tag)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        self.parts += [v for k, v in attrs if k in self.VISIBLE_ATTRS and v]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "noscript", "code") and self._hidden:
            self._hidden -= 1
        if self._gloss and tag in self._gloss:
            while self._gloss and self._gloss.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._gloss and data.strip():
            self.parts.append(data.strip())


def _app_of(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return "?"
    return match.namespace or match.url_name or "?"


def _route_of(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return path


def _crawl(client: Client) -> Iterator[tuple[str, str, _Text]]:
    """(path, html, parsed) of the role's pages, breadth first from the home page and its navigation."""
    queue, seen, per_route = ["/"], {"/"}, defaultdict(int)
    pages = 0
    while queue and pages < PAGES_PER_ROLE:
        path = queue.pop(0)
        route = _route_of(path)
        if per_route[route] >= PAGES_PER_ROUTE:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_route[route] += 1
        pages += 1
        html = response.content.decode()
        parsed = _Text()
        parsed.feed(html)
        yield path, html, parsed
        for href in parsed.links:
            href = urldefrag(href)[0]
            if not href.startswith("/") or href.startswith("//") or SKIP.search(href) or href in seen:
                continue
            seen.add(href)
            queue.append(href)


def _stored_words() -> re.Pattern[str]:
    """Every text stored in the database that holds Chinese (data, not interface), longest first."""
    words: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and CJK.search(str(value)):
                    words.update(str(value).split())
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)")


def _usernames() -> set[str]:
    """Names people gave (accounts, API tokens): data, even when they look like a code."""
    from bangfu.accounts.models import ApiToken, User

    return set(User.objects.values_list("username", flat=True)) | set(ApiToken.objects.values_list("name", flat=True))


def _problems_zh(text: str, parsed: _Text, codes: set[str], users: set[str]) -> list[str]:
    found = ["inline English glosses (class=en)"] if parsed.glosses else []
    found += [f"code {m}" for m in SNAKE.findall(text) + SOURCE_REF.findall(text) if m not in users]
    found += [f"code {w}" for w in WORD.findall(text) if w in codes]
    return found


def _problems_en(text: str, stored: re.Pattern[str]) -> list[str]:
    rest = stored.sub(" ", text)
    return [f"untranslated {w}" for w in CJK.findall(rest) if w not in ALWAYS_ALLOWED_ZH]


@pytest.fixture
def demo(db) -> list[str]:
    call_command("demo", households=60, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from bangfu.demo.base import demo_logins

    return [username for username, _role, _area in demo_logins()]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_speaks_one_language(demo: list[str], language: str) -> None:
    from bangfu.accounts.models import User

    only = {a for a in os.environ.get("BANGFU_I18N_APPS", "").split(",") if a}
    stored, users = _stored_words(), _usernames()
    codes = code_values() - users
    report: dict[str, set[str]] = defaultdict(set)
    for username in demo:
        client = Client()
        client.force_login(User.objects.get(username=username), backend="bangfu.accounts.sessions.AccountBackend")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path, _html, parsed in _crawl(client):
            app = _app_of(path)
            if only and app not in only:
                continue
            text = "\n".join(parsed.parts)
            found = _problems_zh(text, parsed, codes, users) if language == "zh-hans" else _problems_en(text, stored)
            for problem in found[:8]:
                report[f"[{app}] {_route_of(path)}"].add(problem)
    lines = [f"{page}: {'; '.join(sorted(ps))}" for page, ps in sorted(report.items())]
    assert not lines, f"{len(lines)} page kinds do not speak one language ({language}):\n" + "\n".join(lines)
