"""What every module of the market API shares: the default year (the caller is `request.user`)."""

from __future__ import annotations

from django.utils import timezone


def year_or_current(year: int | None) -> int:
    return year or timezone.localdate().year
