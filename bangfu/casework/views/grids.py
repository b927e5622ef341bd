"""Grid pages for county and township officers: place households into grids, hand a grid over."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.casework import selectors, services
from bangfu.casework.views._common import today
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, page_on_get


@login_required
@replica_ok
def grid_villages(request: AuthedHttpRequest) -> HttpResponse:
    rows = selectors.villages_for_grids(request.user)
    return render(request, "casework/grid_villages.html", {"rows": rows})


def _village_context(request: AuthedHttpRequest, code: str, **extra: object) -> dict[str, object]:
    detail = selectors.village_grids(request.user, code, today())
    return {"d": detail, "errors": {}, "error": None, **extra}


@login_required
def grid_village(request: AuthedHttpRequest, code: str) -> HttpResponse:
    return render(request, "casework/grid_village.html", _village_context(request, code))


@login_required
@page_on_get("casework:grid_village")
@writes(Cap.EDIT_REGISTRY)
def grid_place(request: AuthedHttpRequest, code: str) -> HttpResponse:
    selectors.village_grids(request.user, code, today())  # 404 before anything is written
    return form_post(
        request,
        template="casework/grid_village.html",
        context=lambda: _village_context(request, code),
        fields=(),
        run=lambda _v: services.grid_place_households(actor=request.user, village_code=code),
        done=lambda r: (
            _("已划入网格 %(placed)s 户，新建网格 %(new)s 个") % {"placed": r["placed"], "new": r["new_grids"]}
        ),
        then=lambda _r: redirect("casework:grid_village", code=code),
    )


def _village_of_grid(request: AuthedHttpRequest, pk: int) -> dict[str, str]:
    return {"code": selectors.grid_for_handover(request.user, pk).village_id}  # 404 outside the user's areas


@login_required
@page_on_get("casework:grid_village", to=_village_of_grid)
@writes(Cap.EDIT_REGISTRY)
def grid_handover(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = selectors.grid_for_handover(user, pk)

    def run(v: dict[str, str]) -> object:
        worker_id = int_or_none(v["worker"])
        worker = selectors.grid_worker_candidate(user, grid, worker_id) if worker_id else None
        return services.grid_worker_replace(actor=user, grid=grid, worker=worker, reason=v["reason"])

    return form_post(
        request,
        template="casework/grid_village.html",
        context=lambda: _village_context(request, grid.village_id, failed_grid=grid.pk),  # shown on a problem
        fields=("worker", "reason"),
        run=run,
        done=_("%(grid)s 已交接") % {"grid": grid.name},
        then=lambda _r: redirect("casework:grid_village", code=grid.village_id),
    )
