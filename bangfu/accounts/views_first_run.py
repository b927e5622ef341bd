"""The first-run page of an empty install: it exists only while no account exists (404 afterwards). It
creates the county and its first administrator, signs them in and opens the county's set-up checklist.
`bangfu setup` does the same from a terminal. The login page leads here while no account exists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bangfu.accounts import services
from bangfu.accounts.domain.roles import writes
from bangfu.core.errors import ApplicationError, NotFound, invalid
from bangfu.core.views import field_errors, post_dict

FIELDS = ["province_name", "prefecture_name", "county_name", "county_code", "username", "display_name"]


@writes()  # anonymous by nature: the page is refused (404) as soon as one account exists
def first_run(request: HttpRequest) -> HttpResponse:
    if not services.first_run_open():
        raise NotFound()
    ctx: dict[str, Any] = {"values": {}, "errors": {}}
    if request.method == "POST":
        values = post_dict(request, FIELDS)
        password, again = request.POST.get("password", ""), request.POST.get("password2", "")
        try:
            if password != again:
                raise invalid(
                    "password2", "两次输入的密码不一致", "The two passwords differ; type the same password twice"
                )
            user = services.first_admin_create(password=password, **values)
        except ApplicationError as exc:
            if exc.status == 409:  # someone else finished first: log in instead
                raise NotFound() from None
            ctx = {"values": values, "errors": field_errors(exc)}
            return render(request, "accounts/first_run.html", ctx, status=422)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("analytics:setup")
    return render(request, "accounts/first_run.html", ctx)


class LoginView(auth_views.LoginView):
    """Django's login page; on an install without any account it leads to the first-run page instead."""

    template_name = "accounts/login.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if services.first_run_open():
            return redirect("accounts:first_run")
        return super().get(request, *args, **kwargs)
