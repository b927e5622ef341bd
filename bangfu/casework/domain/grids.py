"""Balanced placement of households into grids (about 30 per grid worker, a parameter)."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    new_grids: int  # grids to create before placing
    assignments: dict[int, int]  # household id → index into (existing grids + new grids)


def plan_placement(counts: list[int], unplaced: list[int], per_worker: int) -> Placement:
    """Place unplaced households without moving anyone already placed (visits stay continuous).

    Enough grids are created that the village needs no more than `per_worker` per grid on
    average, and each household goes to the grid with the fewest households at that moment, so
    the counts end up as even as the existing placement allows.
    """
    if per_worker < 1:
        raise ValueError("per_worker must be at least 1")
    total = sum(counts) + len(unplaced)
    needed = max(math.ceil(total / per_worker), 1)
    new_grids = max(needed - len(counts), 0)
    sizes = list(counts) + [0] * new_grids
    heap = [(size, i) for i, size in enumerate(sizes)]
    heapq.heapify(heap)
    assignments: dict[int, int] = {}
    for household in unplaced:
        size, i = heapq.heappop(heap)
        assignments[household] = i
        heapq.heappush(heap, (size + 1, i))
    return Placement(new_grids, assignments)
