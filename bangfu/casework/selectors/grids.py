"""Scoped reads for grids: workload per grid, villages and their grids for balanced placement, and
the grid workers a grid may be handed over to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import users_with_role
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import area_get, areas_visible, grid_get, grids_visible
from bangfu.casework.selectors.config import _ancestor_codes, params_for
from bangfu.core.errors import ApplicationError, invalid
from bangfu.registry.selectors import households_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def workload_by_grid(user: User) -> QuerySet[Any]:
    """Households per grid in the user's areas, for balancing."""
    return grids_visible(user).annotate(n=Count("households")).order_by("village_id", "code")


@dataclass(frozen=True)
class VillageGrids:
    code: str
    name: str
    township: str
    households: int
    unplaced: int
    grids: int


def villages_for_grids(user: User) -> list[VillageGrids]:
    """Villages where the user may place households, with their household and grid counts (3 queries)."""
    villages = areas_visible(user, level=Level.VILLAGE, cap=Cap.EDIT_REGISTRY).select_related("parent")
    counts: dict[str, dict[str, int]] = {
        str(r["village_id"]): {"n": r["n"], "free": r["free"]}
        for r in households_visible(user, Cap.EDIT_REGISTRY)
        .filter(status="正常")
        .values("village_id")
        .annotate(n=Count("pk"), free=Count("pk", filter=Q(grid__isnull=True)))
    }
    grids = {
        str(code): n
        for code, n in grids_visible(user, cap=Cap.EDIT_REGISTRY)
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    }
    return [
        VillageGrids(
            v.code,
            v.name,
            v.parent.name if v.parent else "",
            counts.get(v.code, {}).get("n", 0),
            counts.get(v.code, {}).get("free", 0),
            grids.get(v.code, 0),
        )
        for v in villages
    ]


@dataclass(frozen=True)
class VillageGridDetail:
    village: Any
    grids: list[Any]  # each annotated with n (households) and its prefetched terms
    unplaced: int
    per_worker: int | None  # None when no parameters are configured for the village
    candidates: list[Any]  # grid workers of the village (or above) a grid may be handed to


def village_grids(user: User, code: str, today: dt.date) -> VillageGridDetail:
    village = area_get(user, code, cap=Cap.EDIT_REGISTRY)  # NotFound outside the officer's areas
    grids = list(
        grids_visible(user, cap=Cap.EDIT_REGISTRY)
        .filter(village__code=code)
        .annotate(n=Count("households"))
        .prefetch_related("terms__worker")
        .order_by("code")
    )
    unplaced = households_visible(user, Cap.EDIT_REGISTRY).filter(village__code=code, grid__isnull=True, status="正常")
    try:
        per_worker: int | None = params_for(code, today).households_per_worker
    except ApplicationError:
        per_worker = None
    workers = users_with_role(Role.GRID_WORKER, _ancestor_codes(code))
    return VillageGridDetail(village, grids, unplaced.count(), per_worker, workers)


def grid_for_handover(user: User, pk: int) -> Any:
    return grid_get(user, pk, cap=Cap.EDIT_REGISTRY)


def grid_worker_candidate(user: User, grid: Any, worker_id: int) -> Any:
    """A grid worker of the grid's village (or above) by id; a field problem for anyone else."""
    for w in users_with_role(Role.GRID_WORKER, _ancestor_codes(grid.village_id)):
        if w.pk == worker_id:
            return w
    raise invalid("worker", "请从本村网格员中选择接手人", "choose one of the village's grid workers")
