"""What every module of the market API shares: the caller and the default year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (Ninja puts it on `request.auth`)."""
    return request.auth  # type: ignore[attr-defined, no-any-return]


def year_or_current(year: int | None) -> int:
    return year or timezone.localdate().year
