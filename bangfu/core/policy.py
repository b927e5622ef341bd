"""Input policies that are configuration, not code: the plausible window for dates people enter."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from bangfu.core.domain.inputs import DateWindow


def date_window(*, future: bool = False, today: dt.date | None = None) -> DateWindow:
    """Dates from BANGFU_EARLIEST_DATE up to today, or up to BANGFU_FUTURE_DAYS ahead with `future`."""
    today = today or timezone.localdate()
    earliest = dt.date.fromisoformat(settings.BANGFU_EARLIEST_DATE)
    latest = today + dt.timedelta(days=settings.BANGFU_FUTURE_DAYS) if future else today
    return DateWindow(earliest, latest)


def year_range(*, ahead: int = 1, today: dt.date | None = None) -> tuple[int, int]:
    """Years from the earliest plausible date's year to this year + `ahead`."""
    today = today or timezone.localdate()
    return dt.date.fromisoformat(settings.BANGFU_EARLIEST_DATE).year, today.year + ahead
