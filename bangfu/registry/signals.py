"""What the registry announces to the apps above it. The registry imports none of them: an app that
follows households connects its receiver in its own `AppConfig.ready` (monitoring, casework).

Receivers hold no business logic of their own: they update their own copies through their app's
service or queue their app's task, so the work stays in services where the design wants it.

- `household_moved` is sent inside the move's transaction when a household changes village or grid
  (kwargs: household, old_village, old_grid_id). Apps that copy the household's place onto their rows
  for indexed scoping (monitoring warnings, casework cases) update the copies, so scope always follows
  the household and a rolled-back move leaves no copy behind.
- `households_changed` is sent once a write to households, members, income or guarantee checks has
  committed (kwargs: household_ids, sorted). Registry services call `note_change(household_id)`; the
  ids are collected per connection and the first commit callback sends them all, so a payroll run
  touching 100 households sends one signal. Ids left by a rolled-back savepoint ride along with the
  next commit (sent once more, never lost). Monitoring re-screens them (monitoring/apps.py).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

household_moved = Signal()
households_changed = Signal()

_PENDING = "_bangfu_households_changed"


def note_change(household_id: int) -> None:
    """A household's record changed: announce it with `households_changed` once the change commits."""
    transaction.get_connection().__dict__.setdefault(_PENDING, set()).add(household_id)
    transaction.on_commit(_send)


def _send() -> None:
    ids = sorted(transaction.get_connection().__dict__.pop(_PENDING, set()))
    if ids:
        households_changed.send(sender=note_change, household_ids=ids)
