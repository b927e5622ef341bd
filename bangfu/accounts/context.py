"""Template context: the navigation a user sees depends on their capabilities (issue #16, review P14).

Each app's urls.py may declare `NAV = [(who, label, target, group)]`:
- `who`: a capability (`"view_people"`) the user must hold somewhere, or a predicate `(user) -> bool`
  for an entry that is empty unless the user works in a certain way (我的农户: grid workers only);
- `label`: the entry's words (`gettext_lazy`);
- `target`: a URL name, or a callable `(user) -> [(label, url)]` for entries that depend on the user
  (the enterprise user's own company);
- `group`: a key of `bangfu.navigation.GROUPS`. The top bar shows 首页 and one entry per group the user has anything
  in: the group's only entry as a plain link, or the group as a menu of its entries (at most seven top
  entries per role, the rest inside them).

The entry whose URL is the longest prefix of the page's path is the current place: it is marked with
aria-current, and it starts the breadcrumbs (首页 › entry › what the page adds in `{% block crumbs %}`,
docs/conventions.md "Breadcrumbs").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import ROLE_LABELS, Role
from bangfu.accounts.selectors import capabilities_of, memberships_of
from bangfu.accounts.selectors.memberships import derived
from bangfu.areas.selectors import field_worker
from bangfu.core import links
from bangfu.navigation import GROUPS

if TYPE_CHECKING:
    from bangfu.accounts.models import User

NAV_APPS = [
    "registry",
    "areas",
    "monitoring",
    "casework",
    "insurance",
    "employment",
    "market",
    "rules",
    "analytics",
    "accounts",
]


@dataclass
class Entry:
    label: str
    url: str
    current: bool = False


@dataclass
class Group:
    key: str
    label: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(e.current for e in self.entries)

    @property
    def single(self) -> Entry | None:
        """The group's only entry: shown as a plain link, not as a menu of one."""
        return self.entries[0] if len(self.entries) == 1 else None


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    caps = {c.value for c in capabilities_of(user)}
    groups = _groups(user, caps)
    current = _mark_current(groups, request.path)
    top = request.path == "/" and "area" not in request.GET
    return {
        "caps": caps,
        "role_labels": role_labels(user),
        "app_nav": [e for g in groups for e in g.entries],
        "nav_groups": groups,
        "nav_home_current": current is None and request.path == "/",
        "nav_here": current,  # the breadcrumbs start from it (docs/conventions.md "Breadcrumbs")
        "nav_here_is_page": current is not None and current.url.split("?")[0] == request.path,
        "nav_top": top,  # the home page itself has no breadcrumbs
        "tabbar": field_worker(user),
    }


def role_labels(user: User) -> list[str]:
    """Each role and place once ("企业用户 · 洛隆县"), even when two memberships say the same."""
    seen: list[str] = []
    for m in memberships_of(user):
        label = f"{_(ROLE_LABELS[Role(m.role)])} · {m.area.name}"
        if label not in seen:
            seen.append(label)
    return seen


def _allowed(who: str | Callable[[User], bool], user: User, caps: set[str]) -> bool:
    return who(user) if callable(who) else who in caps


type Target = tuple[str, str] | Callable[[User], list[tuple[str, str]]]


def _groups(user: User, caps: set[str]) -> list[Group]:
    """The user's entries by group, in GROUPS order, each URL once."""
    groups = {key: Group(key, str(label)) for key, label in GROUPS}
    seen: set[str] = set()
    for group, target in _entries(user, caps):
        pairs = target(user) if callable(target) else [target]
        for label, url in pairs:
            if url not in seen:
                seen.add(url)
                groups[group].entries.append(Entry(str(label), url))
    return [g for g in groups.values() if g.entries]


def _entries(user: User, caps: set[str]) -> list[tuple[str, Target]]:
    """(group, (label, url)) of each entry the user's roles allow, in NAV_APPS order, labels in the
    current language. Every page asks, so it is kept per process until the user's access changes
    (accounts.selectors.derived); an entry whose words are data (the enterprise's own name) stays a
    callable and is asked on every page."""

    def compute(_memberships: object) -> list[tuple[str, Target]]:
        found: list[tuple[str, Target]] = []
        for app in NAV_APPS:
            module = import_module(f"bangfu.{app}.urls")
            for who, label, target, group in getattr(module, "NAV", []):
                if _allowed(who, user, caps):
                    found.append((group, target if callable(target) else (str(label), links.url(target))))
        return found

    entries: list[tuple[str, Target]] = derived(user, f"nav:{get_language()}:{get_script_prefix()}", compute)
    return entries


def _mark_current(groups: list[Group], path: str) -> Entry | None:
    """The entry whose URL is the longest prefix of the path (a household page is under 农户)."""
    best: Entry | None = None
    for g in groups:
        for e in g.entries:
            url = e.url.split("?")[0]
            if path.startswith(url) and url != "/" and (best is None or len(url) > len(best.url.split("?")[0])):
                best = e
    if best is not None:
        best.current = True
    return best
