"""The first-run page of an empty install: it exists only while no account exists (404 afterwards). It
creates the county and its first administrator, signs them in and opens the county's set-up checklist.
`bangfu setup` does the same from a terminal. The login page leads here while no account exists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bangfu.accounts import services
from bangfu.accounts.domain.roles import writes
from bangfu.core.errors import Conflict, NotFound, invalid
from bangfu.core.views import form_post

FIELDS = ["province_name", "prefecture_name", "county_name", "county_code", "username", "display_name"]


@writes()  # anonymous by nature: the page is refused (404) as soon as one account exists
def first_run(request: HttpRequest) -> HttpResponse:
    if not services.first_run_open():
        raise NotFound()

    def run(values: dict[str, str]) -> Any:
        password, again = request.POST.get("password", ""), request.POST.get("password2", "")
        if password != again:
            raise invalid("password2", "两次输入的密码不一致", "The two passwords differ; type the same password twice")
        try:
            return services.first_admin_create(password=password, **values)
        except Conflict:  # someone else finished first: log in instead
            raise NotFound() from None

    def then(user: Any) -> HttpResponse:
        login(request, user, backend="bangfu.accounts.sessions.AccountBackend")
        return redirect("analytics:setup")

    return form_post(
        request,
        template="accounts/first_run.html",
        context={"errors": {}},
        fields=FIELDS,
        run=run,
        done=None,
        then=then,
    )


class LoginView(auth_views.LoginView):
    """Django's login page; on an install without any account it leads to the first-run page instead."""

    template_name = "accounts/login.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if services.first_run_open():
            return redirect("accounts:first_run")
        return super().get(request, *args, **kwargs)
