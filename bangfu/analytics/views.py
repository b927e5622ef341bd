"""The home dashboard and the household timeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.analytics import selectors, services, worklist
from bangfu.analytics.domain.indicators import BY_KEY, Indicator, rate
from bangfu.analytics.domain.timeline import KIND_LABELS, of_kind
from bangfu.analytics.reports import REPORTS, Report
from bangfu.analytics.timeline import household_timeline
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import field_worker
from bangfu.core import params
from bangfu.core.errors import NotFound
from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.i18n import in_language
from bangfu.core.middleware import problem, problem_response
from bangfu.core.replicas import replica_ok
from bangfu.insurance import selectors as insurance

CHANNEL_KEYS = [
    "sales.total",
    "sales.counter",
    "sales.fair",
    "sales.online_shop",
    "sales.livestream",
    "sales.institutional",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Which list shows the households behind a figure: (URL name, extra query). The area or grid
# filter of the place is added to the query.
LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "households": ("registry:household_list", {}),
    "people": ("registry:household_list", {}),
    "poverty_exited": ("registry:household_list", {"flag": "poverty_exited"}),
    "monitored": ("registry:household_list", {"flag": "monitored"}),
    "dibao": ("registry:household_list", {"flag": "dibao"}),
    "tekun": ("registry:household_list", {"flag": "tekun"}),
    "relocated": ("registry:household_list", {"flag": "relocated"}),
    "no_labour": ("registry:household_list", {"flag": "no_labour"}),
    "eliminated": ("casework:case_list", {"state": "risk_eliminated"}),
    "warnings.new": ("monitoring:warning_list", {"status": "all"}),
    "warnings.open": ("monitoring:warning_list", {"status": "active"}),
    "cases.overdue": ("casework:case_list", {"overdue": "1"}),
}
for _kind in ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户"):
    LISTS[f"monitored.{_kind}"] = ("registry:household_list", {"type": _kind})
# Lists of the other modules behind the newer figures; those pages show the user's own areas.
LISTS |= {
    "visits.due": ("casework:compliance", {}),
    "visits.met": ("casework:compliance", {}),
    "claims.paid": ("insurance:claim_queue", {"status": "paid"}),
    "claims.paid_count": ("insurance:claim_queue", {"status": "paid"}),
    "fund.balance": ("insurance:scheme_list", {}),
    "fund.premiums": ("insurance:scheme_list", {}),
    "relocation.with_labour": ("employment:index", {}),
    "relocation.met": ("employment:index", {}),
    "workshops": ("employment:index", {}),
    "workers": ("employment:index", {}),
    "payroll": ("employment:index", {}),
    "market.paid": ("market:enterprise_list", {}),
    **{k: ("market:enterprise_list", {}) for k in CHANNEL_KEYS},
}

SECTIONS: list[tuple[Any, list[str]]] = [
    (gettext_lazy("农户"), ["households", "people", "poverty_exited", "dibao", "tekun", "relocated", "no_labour"]),
    (
        gettext_lazy("监测对象"),
        ["monitored", *(f"monitored.{k}" for k in ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户"))],
    ),
    (gettext_lazy("预警与监测程序"), ["warnings.new", "warnings.open", "cases.overdue", "eliminated"]),
    (gettext_lazy("网格走访"), ["visits.due", "visits.met"]),
    (gettext_lazy("防贫保险"), ["claims.paid_count", "claims.paid", "fund.premiums", "fund.balance"]),
    (
        gettext_lazy("搬迁就业与帮扶车间"),
        ["relocation.with_labour", "relocation.met", "workshops", "workers", "payroll"],
    ),
    (gettext_lazy("消费帮扶"), ["sales.total", *CHANNEL_KEYS[1:], "market.paid"]),
]
# Sections shown only where their module has anything: a county without relocation sites or sales
# is not shown a card of zeros (review: "the relocation and sales cards show only zeros").
OPTIONAL_SECTIONS = {"relocation.with_labour", "sales.total"}
# (numerator, denominator) of the rates shown under a section, derived here, never stored.
RATES = {
    "visits.met": ("visits.met", "visits.due", gettext_lazy("走访达标率")),
    "relocation.met": ("relocation.met", "relocation.with_labour", gettext_lazy("搬迁户就业率")),
}


def list_url(key: str, place_filter: Iterable[tuple[str, str]]) -> str:
    """The list behind a figure, filtered to the place; "" while the module has no such page yet."""
    name, query = LISTS.get(key, ("", {}))
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode({**query, **dict(place_filter)})}"


def workbook(report: Report, rows: list[Sequence[Any]], place: selectors.Place, year: int) -> bytes:
    """A report as an office files it: its title, 填报单位 and 制表日期 above the table (a Chinese
    document, like the 公示 notice: its words are not translated)."""
    title = [
        f"{report.title}（{year}年）",
        f"填报单位：{place.name}",
        f"制表日期：{timezone.localdate().isoformat()}",
    ]
    spec = SheetSpec(
        name=report.title, columns=report.columns, rows=rows, text_columns=set(report.text_columns), title=title
    )
    return write_workbook([spec])


def _tile(ind: Indicator, value: Decimal | None, place: selectors.Place) -> dict[str, Any]:
    return {
        "money": ind.money,
        "key": ind.key,
        "label": in_language(ind.zh, ind.en),
        "unit": ind.unit,
        "value": value or Decimal(0),
        "url": list_url(ind.key, place.filter),
    }


def _sections(d: selectors.Dashboard) -> list[dict[str, Any]]:
    """The cards of tiles with their rates; an optional module's card only where it has any figure."""
    out = []
    for title, keys in SECTIONS:
        if keys[0] in OPTIONAL_SECTIONS and not any(d.values.get(k) for k in keys):
            continue
        tiles = [_tile(BY_KEY[k], d.values.get(k), d.place) for k in keys]
        rates = [(label, rate(d.values.get(n), d.values.get(m))) for k, (n, m, label) in RATES.items() if k in keys]
        out.append({"key": keys[0], "title": title, "tiles": tiles, "rates": rates})
    return out


def _grids(user: Any, place: selectors.Place) -> list[dict[str, Any]]:
    """Below a village there is no area to open: its grids, each with its household list."""
    if place.level != Level.VILLAGE.value:
        return []
    base = reverse("registry:household_list")
    return [
        {"grid": g, "url": f"{base}?{urlencode({'area': place.code, 'grid': g.pk})}"}
        for g in areas.grids_visible(user).filter(village__code=place.code).order_by("code")
    ]


def _charts(d: selectors.Dashboard) -> dict[str, Any]:
    """Series for ECharts, with the URL each bar or slice leads to."""
    kinds = [k for k in SECTIONS[1][1] if k != "monitored"]
    return {
        "children": {
            "names": [c.place.name for c in d.children],
            "labels": {"households": _("农户"), "monitored": _("监测对象")},  # the legend, in the reader's language
            "households": [int(c.values.get("households", 0)) for c in d.children],
            "monitored": [int(c.values.get("monitored", 0)) for c in d.children],
            "urls": [f"{reverse('analytics:home')}?area={c.place.code}" for c in d.children],
        },
        "trend": {"periods": [p for p, _ in d.trend], "values": [int(v) for _, v in d.trend]},
        "channels": [
            {
                "name": in_language(BY_KEY[k].zh, BY_KEY[k].en),
                "value": float(d.values.get(k, 0)),
                "url": list_url(k, d.place.filter),
            }
            for k in CHANNEL_KEYS[1:]
            if d.values.get(k)
        ],
        "types": [
            {
                "name": in_language(BY_KEY[k].zh, BY_KEY[k].en),
                "value": int(d.values.get(k, 0)),
                "url": list_url(k, d.place.filter),
            }
            for k in kinds
        ],
    }


@login_required
@replica_ok
def home(request: AuthedHttpRequest) -> HttpResponse:
    may_setup = has_cap(request.user, Cap.CONFIGURE)  # the set-up notice loads after the page
    if not has_cap(request.user, Cap.VIEW_PEOPLE):
        # the insurer's work waiting (待勘查 5件…), each a link to its queue; nothing for other roles
        claim_counts = insurance.work_counts(request.user)
        return render(request, "analytics/welcome.html", {"may_setup": may_setup, "claim_counts": claim_counts})
    if field_worker(request.user) and "area" not in request.GET and request.GET.get("view") != "dashboard":
        return tasks(request)  # grid workers and village cadres start from their tasks (no redirect on 3G)
    d = selectors.dashboard(request.user, request.GET.get("area", ""))
    sections = _sections(d)
    children = [
        {
            "place": c.place,
            "households": c.values.get("households", Decimal(0)),
            "monitored": c.values.get("monitored", Decimal(0)),
            "share": rate(c.values.get("monitored"), c.values.get("households")),
            "url": list_url("monitored", c.place.filter),
        }
        for c in d.children
    ]
    ctx = {
        "d": d,
        "sections": sections,
        "children": children,
        "charts": _charts(d),
        "grids": _grids(request.user, d.place),
        "households_url": list_url("households", d.place.filter),
        # 本月新增 and 待处理 are often the same figure (every open warning raised this month): say so
        "warnings_same": d.values.get("warnings.new") == d.values.get("warnings.open"),
        "can_report": has_cap(request.user, Cap.VIEW_REPORTS),
        "may_setup": may_setup,
    }
    return render(request, "analytics/home.html", ctx)


@login_required
def tasks(request: AuthedHttpRequest) -> HttpResponse:
    """Today's work in order of urgency, one tap from each task to its form; nothing heavy (no chart
    library, no htmx): the first screen of a grid worker on a weak line (issue #15)."""
    areas.require_somewhere(request.user, Cap.LOG_VISITS)
    w = worklist.worklist(request.user, timezone.localdate())
    return render(request, "analytics/tasks.html", {"w": w, "here": request.path})


def offline_data(request: AuthedHttpRequest) -> HttpResponse:
    """The phone's offline copy: the user's households, visit rules and last tasks (docs/offline.md §3).
    Signed out: 401 (a problem document, not the login page), so the phone keeps its queue and asks."""
    if not request.user.is_authenticated:
        body = problem(401, "unauthenticated", "请先登录后再同步", "Sign in to sync")
        return problem_response(body, 401)
    areas.require_somewhere(request.user, Cap.LOG_VISITS)
    data = worklist.offline_data(request.user, timezone.localdate(), get_token(request))
    data["generated_at"] = timezone.localtime().isoformat(timespec="seconds")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _year(request: AuthedHttpRequest) -> int:
    return params.year(request.GET)


@login_required
@replica_ok
def reports(request: AuthedHttpRequest) -> HttpResponse:
    place = selectors.report_place(request.user, request.GET.get("area", ""))
    ctx = {"place": place, "reports": REPORTS.values(), "year": _year(request)}
    return render(request, "analytics/reports.html", ctx)


def report_filename(report: Report, place: selectors.Place, year: int) -> str:
    return f"{report.title}-{place.name}-{year}.xlsx"


def workbook_response(report: Report, rows: list[Sequence[Any]], place: selectors.Place, year: int) -> HttpResponse:
    response = HttpResponse(workbook(report, rows, place, year), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report_filename(report, place, year))}"
    return response


def in_background(place: selectors.Place) -> bool:
    """A report over more households than a request should walk is built by `bangfu worker`."""
    return selectors.place_households(place) > settings.BANGFU_BACKGROUND_ROWS


@login_required
@replica_ok
def report_download(request: AuthedHttpRequest, key: str = "monitored") -> HttpResponse:
    report = REPORTS.get(key)
    if report is None:
        raise NotFound()
    place = selectors.report_place(request.user, request.GET.get("area", ""))
    year = _year(request)
    if in_background(place):
        job = services.report_start(request.user, report.key, place.code, year, report.title, report.en)
        return redirect("core:job_detail", pk=job.pk)
    return workbook_response(report, report.build(request.user, place, year), place, year)


@login_required
def timeline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    household, events = household_timeline(request.user, pk)
    kind = request.GET.get("kind", "")
    present = {e.kind for e in events}
    kinds = [(k, _(label), sum(e.kind == k for e in events)) for k, label in KIND_LABELS.items() if k in present]
    shown = of_kind(events, kind)
    ctx = {
        "h": household,
        "events": shown,
        "kinds": kinds,
        "kind": kind if kind in present else "",
        "total": len(events),
    }
    return render(request, "analytics/timeline.html", ctx)


# --- the set-up checklist of a new county -------------------------------------------------------------


@login_required
def setup(request: AuthedHttpRequest) -> HttpResponse:
    """设置清单: what each of the user's counties still lacks, with links to the pages that do it."""
    from bangfu.analytics import setup as checklist

    lists = checklist.checklists(request.user)
    if not lists:
        raise NotFound()  # only those who set a county up (configure) have a checklist
    return render(request, "analytics/setup.html", {"lists": lists})


@login_required
def setup_banner(request: AuthedHttpRequest) -> HttpResponse:
    """The home page's notice while a county is not set up (loaded after the page: the dashboard itself
    stays a read of the indicator cache); empty once every step is done or for users who set nothing up."""
    from bangfu.analytics import setup as checklist

    open_lists = [c for c in checklist.checklists(request.user) if not c.complete]
    return render(request, "analytics/_setup_banner.html", {"lists": open_lists})
