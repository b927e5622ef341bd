"""One way for every list page: search, filters, sorting and page numbers read from the query string,
and the controls that show them (removable filter chips, numbered pages, sortable column headers).

A list view::

    place = areas.place_in_query(request.user, request.GET)          # ?area= / ?village= / ?grid=
    listing = Listing(
        request,
        sorts={"date": ("raised_on",), "household": ("household__number",)},
        default_sort="-date",
        filters=[Filter("status", _("状态"), STATUS_CHOICES)],
        search=_("户主姓名或户编号"),
    )
    if place:
        listing.chip(place.name, place.param)                          # shown, with × to remove it
    qs = selectors.warnings(request.user, place=place, q=listing.q, status=listing.value("status"))
    page = listing.page(qs)                                             # sorted, then one page of 50
    return render(request, "…", {"listing": listing, "page": page})

and its template::

    {% include "_list_controls.html" %}                                 search, filter selects, chips
    <th>{% include "_sort.html" with s=listing.sorts.date label=_("日期") %}</th>
    {% include "_pager.html" %}                                         共 N 条 · 1 2 … 9 10

ID numbers never go into a URL (they would sit in logs and browser history): a list whose search
accepts them passes `private_search=True`; its search form is then posted, and `q` read from the body.

Every link keeps the other parameters of the list (its area, its filters, its search), so a drill-down
from a dashboard tile stays on that tile's rows whatever the user does next. Selecting the rows is the
app's selector's job (always scoped to the actor's areas); this module only reads and writes the query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict

from bangfu.core import inputs, params
from bangfu.core.errors import ApplicationError
from bangfu.core.i18n import in_language

PER_PAGE = 50
MAX_SEARCH = 100
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Filter:
    """A select of the list's controls: ?name=value, value one of `options` ((value, label) pairs)."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]
    # The same options under headings (villages under their township), for a long select; optional.
    groups: Sequence[tuple[str, Sequence[tuple[str, str]]]] = ()
    autosubmit: bool = False  # the list reloads when it changes (a select whose choice narrows another's)
    everything: bool = True  # offers 全部 (no filter); False where one option always holds (a summary's level)
    # The options are the places the user may see (villages, grids): with only one, choosing it changes
    # nothing, so the select is not offered (a grid worker's one grid, a village cadre's one village).
    places: bool = False


@dataclass(frozen=True)
class DateRange:
    """A from/to pair of the list's controls (?from=YYYY-MM-DD&to=YYYY-MM-DD), both optional: the rows
    dated in between, both ends included. `label` names the date (下单日期). A date a person mistyped is
    shown beside its field in the reader's language, and that end is left open (the rest of the list
    still works)."""

    label: str


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass(frozen=True)
class SortLink:
    url: str
    direction: str  # "ascending" | "descending" | "" (aria-sort values)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap "…"
    url: str
    current: bool


class Listing:
    def __init__(
        self,
        request: HttpRequest,
        *,
        sorts: Mapping[str, Sequence[str]],
        default_sort: str,
        filters: Sequence[Filter] = (),
        search: str = "",
        private_search: bool = False,
        per_page: int = PER_PAGE,
        dates: DateRange | None = None,
    ) -> None:
        self.query: QueryDict = request.GET.copy()
        self.path = request.path
        self.filters = list(filters)
        self.search_label = search
        self.private_search = private_search
        self.per_page = per_page
        source = request.POST if private_search and request.method == "POST" else self.query
        self.q = str(source.get("q", "")).strip()[:MAX_SEARCH]
        if private_search:
            self.query.pop("q", None)
        self._sorts = sorts
        key = self.query.get("sort", "") or default_sort
        self.sort = key if key.lstrip("-") in sorts else default_sort
        self._values = {f.name: self._checked(f) for f in self.filters}
        self.dates = dates
        self.date_errors: dict[str, list[str]] = {}
        self.date_from, self.date_to = (self._date("from"), self._date("to")) if dates else (None, None)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.date_errors["to"] = [
                in_language("结束日期不能早于开始日期", "The end date cannot be before the start date")
            ]
            self.date_to = None
        self.chips: list[Chip] = []
        self.page_obj: Page[Any] | None = None

    def _checked(self, f: Filter) -> str:
        value = self.query.get(f.name, "")
        if value and value not in {str(v) for v, _label in f.options}:
            raise ApplicationError(
                zh=f"筛选条件“{f.label}”的取值“{value[:40]}”无效，请从列表中选择",
                en=f"“{value[:40]}” is not a value of the filter “{f.label}”; choose one from the list",
                code="bad_parameter",
                status=400,
            )
        return value

    def _date(self, name: str) -> dt.date | None:
        typed = str(self.query.get(name, "")).strip()
        zh, en = ("开始日期", "start date") if name == "from" else ("结束日期", "end date")
        try:
            return inputs.date(typed, name, required=False, future=True, zh=zh, en=en)
        except ApplicationError as exc:
            self.date_errors[name] = [p.message for p in exc.problems] or [exc.message]
            return None

    @property
    def typed_from(self) -> str:
        return str(self.query.get("from", ""))[:40]

    @property
    def typed_to(self) -> str:
        return str(self.query.get("to", ""))[:40]

    # --- reading -----------------------------------------------------------------------------------

    def value(self, name: str) -> str:
        """The chosen value of a filter ("" when none)."""
        return self._values.get(name, "")

    @property
    def selects(self) -> list[tuple[Filter, str]]:
        """Each filter with its chosen value, for the controls' selects (not a place filter with one place)."""
        return [(f, self.value(f.name)) for f in self.filters if self.value(f.name) or not _no_choice(f)]

    @property
    def chosen(self) -> int:
        """How many of the selects have a value (the folded controls' summary says it on a phone)."""
        return sum(1 for f, value in self.selects if value)

    def kept(self) -> list[tuple[str, str]]:
        """The parameters the controls' form must carry as hidden fields (area, sort: what it does not show)."""
        shown = {"q", "page", *(f.name for f in self.filters), *(("from", "to") if self.dates else ())}
        return [(k, v) for k, vs in self.query.lists() if k not in shown for v in vs]

    # --- writing links -----------------------------------------------------------------------------

    def url(self, **changes: object) -> str:
        """This list with some parameters changed (None removes one); any change but the page's own
        goes back to page 1."""
        query = self.query.copy()
        if "page" not in changes:
            query.pop("page", None)
        for name, value in changes.items():
            query.pop(name, None)
            if value not in (None, ""):
                query[name] = str(value)
        encoded = query.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path

    def chip(self, label: str, *names: str) -> None:
        """Show a filter the link set (an area, a status from a tile) with a link that removes it."""
        self.chips.append(Chip(label, self.url(**dict.fromkeys(names))))

    @property
    def sorts(self) -> dict[str, SortLink]:
        """Per sortable column: the link that sorts by it (or reverses it) and its current direction."""
        out = {}
        for key in self._sorts:
            if self.sort == key:
                out[key] = SortLink(self.url(sort=f"-{key}"), "ascending")
            elif self.sort == f"-{key}":
                out[key] = SortLink(self.url(sort=key), "descending")
            else:
                out[key] = SortLink(self.url(sort=key), "")
        return out

    # --- the rows ----------------------------------------------------------------------------------

    def ordered(self, qs: QuerySet[M]) -> QuerySet[M]:
        descending = self.sort.startswith("-")
        fields = [f"-{f}" if descending else f for f in self._sorts[self.sort.lstrip("-")]]
        return qs.order_by(*fields, "-pk" if descending else "pk")  # a stable order across pages

    def page(self, qs: QuerySet[M]) -> Page[M]:
        """Sorted, then the requested page (?page=, checked: a number past the end shows the last)."""
        self.page_obj = Paginator(self.ordered(qs), self.per_page).get_page(params.page_number(self.query))
        return self.page_obj

    @property
    def previous_url(self) -> str:
        p = self.page_obj
        return self.url(page=p.previous_page_number()) if p is not None and p.has_previous() else ""

    @property
    def next_url(self) -> str:
        p = self.page_obj
        return self.url(page=p.next_page_number()) if p is not None and p.has_next() else ""

    @property
    def page_links(self) -> list[PageLink]:
        """1 2 … 5 6 [7] 8 9 … 120 121: the first, the last, and two either side of the current page."""
        if self.page_obj is None or self.page_obj.paginator.num_pages <= 1:
            return []
        last, here = self.page_obj.paginator.num_pages, self.page_obj.number
        wanted = sorted({1, 2, last - 1, last, *range(here - 2, here + 3)} & set(range(1, last + 1)))
        links: list[PageLink] = []
        for n in wanted:
            if links and links[-1].number is not None and n - (links[-1].number or 0) > 1:
                links.append(PageLink(None, "", False))
            links.append(PageLink(n, self.url(page=n), n == here))
        return links


def _no_choice(f: Filter) -> bool:
    return f.places and len(f.options) < 2
