"""The home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.registry import selectors as registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    ctx = {}
    if has_cap(request.user, Cap.VIEW_PEOPLE):  # type: ignore[arg-type]
        ctx["households"] = registry.households_visible(request.user).count()  # type: ignore[arg-type]
    return render(request, "analytics/home.html", ctx)
