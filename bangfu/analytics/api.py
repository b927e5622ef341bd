"""JSON API of analytics, mounted under /api/v1/analytics/ by bangfu/api.py.

The same scoped selectors as the pages: the indicators of an area the caller may open (404
otherwise, revealing nothing), the standard reports as Excel, and a household's timeline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.analytics import selectors, services
from bangfu.analytics.reports import REPORTS
from bangfu.analytics.timeline import household_timeline
from bangfu.analytics.views import in_background, workbook_response
from bangfu.areas import selectors as areas
from bangfu.core import params
from bangfu.core.api import JobOut, job_out
from bangfu.core.errors import NotFound
from bangfu.core.replicas import replica_ok

router = Router(tags=["analytics"])


class PlaceOut(Schema):
    code: str
    name: str
    level: str


class ChildOut(Schema):
    place: PlaceOut
    values: dict[str, Decimal]


class IndicatorsOut(Schema):
    place: PlaceOut
    as_of: dt.date | None
    computed_at: dt.datetime | None
    values: dict[str, Decimal]
    trend: list[tuple[str, Decimal]]
    children: list[ChildOut]


class TimelineEventOut(Schema):
    on: dt.date
    kind: str
    kind_label: str
    title: str
    detail: str
    amount: Decimal | None


def _place(p: selectors.Place) -> dict[str, str]:
    return {"code": p.code, "name": p.name, "level": p.level}


@router.get("/indicators", response=IndicatorsOut, summary="区域指标 Cached indicators of an area")
@replica_ok
def indicators(request: AuthedHttpRequest, area: str = "") -> dict[str, Any]:
    """The caller's own area (or grids) when `area` is empty; figures from the last batch refresh."""
    d = selectors.dashboard(request.user, area)
    return {
        "place": _place(d.place),
        "as_of": d.as_of,
        "computed_at": d.computed_at,
        "values": d.values,
        "trend": d.trend,
        "children": [{"place": _place(c.place), "values": c.values} for c in d.children],
    }


@router.get(
    "/reports/{key}.xlsx", response={200: None, 202: JobOut}, summary="标准报表 Download a standard report (Excel)"
)
@replica_ok
def report(
    request: AuthedHttpRequest, key: str, area: str = "", year: str = ""
) -> HttpResponse | Status[dict[str, Any]]:
    """The workbook; for an area of more than a few thousand households, 202 with a job to poll at
    `url` (GET /api/v1/jobs/{id}) and download from when its status is done."""
    spec = REPORTS.get(key)
    if spec is None:
        raise NotFound()
    place = selectors.report_place(request.user, area)
    chosen = params.year(request.GET)
    if in_background(place):
        return Status(202, job_out(services.report_start(request.user, key, place.code, chosen, spec.title, spec.en)))
    return workbook_response(spec, spec.build(request.user, place, chosen), place, chosen)


@router.get(
    "/households/{household_id}/timeline", response=list[TimelineEventOut], summary="帮扶时间线 Household timeline"
)
@replica_ok
def timeline(request: AuthedHttpRequest, household_id: int) -> list[Any]:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)  # as the page: no people data, no timeline
    _household, events = household_timeline(request.user, household_id)
    return events
