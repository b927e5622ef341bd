"""Small helpers shared by the casework page modules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The logged-in user (every page but the public self-report is behind login_required)."""
    return request.user  # type: ignore[return-value]


def today() -> dt.date:
    return timezone.localdate()


def date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
