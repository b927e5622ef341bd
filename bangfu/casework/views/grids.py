"""Grid pages for county and township officers: place households into grids, hand a grid over."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.casework import selectors, services
from bangfu.casework.views._common import page_on_get, today
from bangfu.core.errors import ApplicationError
from bangfu.core.replicas import replica_ok
from bangfu.core.views import field_errors, int_or_none, reraise_access


@login_required
@replica_ok
def grid_villages(request: AuthedHttpRequest) -> HttpResponse:
    rows = selectors.villages_for_grids(request.user)
    return render(request, "casework/grid_villages.html", {"rows": rows})


def _village_page(request: AuthedHttpRequest, code: str, status: int = 200, **extra: object) -> HttpResponse:
    detail = selectors.village_grids(request.user, code, today())
    ctx = {"d": detail, "errors": {}, "error": None, **extra}
    return render(request, "casework/grid_village.html", ctx, status=status)


@login_required
def grid_village(request: AuthedHttpRequest, code: str) -> HttpResponse:
    return _village_page(request, code)


@login_required
@page_on_get("casework:grid_village")
@writes(Cap.EDIT_REGISTRY)
def grid_place(request: AuthedHttpRequest, code: str) -> HttpResponse:
    selectors.village_grids(request.user, code, today())  # 404 before anything is written
    try:
        result = services.grid_place_households(actor=request.user, village_code=code)
    except ApplicationError as exc:
        reraise_access(exc)
        return _village_page(request, code, exc.status, error=exc)
    messages.success(
        request,
        _("已划入网格 %(placed)s 户，新建网格 %(new)s 个") % {"placed": result["placed"], "new": result["new_grids"]},
    )
    return redirect("casework:grid_village", code=code)


@login_required
@require_POST
@writes(Cap.EDIT_REGISTRY)
def grid_handover(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = selectors.grid_for_handover(user, pk)
    worker_id = int_or_none(request.POST.get("worker"))
    try:
        worker = selectors.grid_worker_candidate(user, grid, worker_id) if worker_id else None
        services.grid_worker_replace(actor=user, grid=grid, worker=worker, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        reraise_access(exc)
        errors = field_errors(exc)
        return _village_page(request, grid.village_id, exc.status, error=exc, errors=errors, failed_grid=grid.pk)
    messages.success(request, _("%(grid)s 已交接") % {"grid": grid.name})
    return redirect("casework:grid_village", code=grid.village_id)
