"""Story B's calendar (颜世龙, bangfu/demo/README.md), so every app's demo step tells it in one order:

the education department's tuition bill (10 January) → 周景财's visit finds the school cost and opens
the case (12 January) → the claim is filed with the receipts (14 January) → the case goes through
identification → the claim is paid in early April (3 April).
"""

from __future__ import annotations

import datetime as dt


def story_year(today: dt.date) -> int:
    """This year when early April is already past, otherwise last year (the claim must be paid)."""
    return today.year if dt.date(today.year, 4, 10) <= today else today.year - 1


def school_visit(year: int) -> dt.date:
    """The grid worker's visit that finds the university bill and opens the case: after the bill,
    before the claim is filed, long before it is paid."""
    return dt.date(year, 1, 12)


def claim_applied(year: int) -> dt.date:
    return dt.date(year, 1, 14)
