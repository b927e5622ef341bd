"""The claim queue (core.listing): the reader's work to do first, the area from the link, search by name or
ID number (posted, never in a URL), status tabs with counts, days waiting, page numbers and sorting."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import ApplicationError
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.insurance import selectors
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.workflow import STATUS_LABELS, Status

# An open claim waiting longer than this is marked: the county's usual aim from application to payment
# is about a month (domain brief §2.1: the fastest insurers pay within days, the article's case took 3).
WAITING_DAYS_MARKED = 30
TODO, ALL = "todo", "all"


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int
    url: str
    current: bool


def _status(request: AuthedHttpRequest, todo: list[Status]) -> str:
    """?status=: a state, `all`, or `todo` (the default when the reader has work; else all)."""
    value = request.GET.get("status", "") or (TODO if todo else ALL)
    if value not in (TODO, ALL, *Status):
        raise ApplicationError(
            zh="状态筛选无效，请从标签中选择",
            en="Unknown status filter; choose one of the tabs",
            code="bad_parameter",
            status=400,
        )
    return value


def _tabs(listing: Listing, current: str, todo: list[Status], counts: dict[str, int]) -> list[Tab]:
    tabs = []
    if todo:
        tabs.append(
            Tab(TODO, _("待办"), sum(counts.get(s, 0) for s in todo), listing.url(status=TODO), current == TODO)
        )
    tabs.append(Tab(ALL, _("全部"), sum(counts.values()), listing.url(status=ALL), current == ALL))
    tabs += [
        Tab(s.value, _(STATUS_LABELS[s]), counts.get(s, 0), listing.url(status=s.value), current == s) for s in Status
    ]
    return tabs


@login_required
@writes(Cap.VIEW_PEOPLE, Cap.CLAIM_SURVEY)  # the search is posted, so an ID number typed in it stays out of URLs
@replica_ok
def claim_queue(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    cap = Cap.VIEW_PEOPLE if has_cap(user, Cap.VIEW_PEOPLE) else Cap.CLAIM_SURVEY
    place = areas.place_in_query(user, request.GET, cap=cap)
    listing = Listing(
        request,
        sorts={
            "applied": ("applied_on",),
            "household": ("household__head_name",),
            "village": ("household__village_id",),
            "payout": ("payout",),
        },
        default_sort="applied",
        filters=[Filter("cause", _("风险类别"), [(k, _(v)) for k, v in codes.CAUSES.items()])],
        search=_("户主或成员姓名、户编号、身份证号"),
        private_search=True,
    )
    if place:
        listing.chip(place.name, place.param)
    todo = selectors.todo_statuses(user)
    status = _status(request, todo)
    base = selectors.claim_queue(user, place=place, text=listing.q, cause=listing.value("cause"))
    rows = base.filter(status__in=todo) if status == TODO else base if status == ALL else base.filter(status=status)
    page = listing.page(rows)
    today = timezone.localdate()
    ctx = {
        "listing": listing,
        "page": page,
        "claims": [(c, (today - c.applied_on).days) for c in page.object_list],
        "tabs": _tabs(listing, status, todo, selectors.status_counts(base)),
        "open_states": [s.value for s in Status if s not in (Status.PAID, Status.REJECTED)],
        "marked_days": WAITING_DAYS_MARKED,
    }
    return render(request, "insurance/claim_queue.html", ctx)
