"""Public-welfare posts (公益岗位): the officers' list, appointment by ID number, months served,
leaving a post (退岗) with a coded reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import inputs
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get
from bangfu.employment import inputs as employment_inputs
from bangfu.employment import selectors, services
from bangfu.employment.domain.endings import POST_END_REASONS
from bangfu.employment.models import WelfarePost
from bangfu.employment.views._forms import ending_form, officers_only, reason_choices, translated

_POST_FIELDS = ["id_number", "post_type", "level", "start", "end", "monthly_pay"]


def _context(request: AuthedHttpRequest) -> dict[str, Any]:
    user: Any = request.user
    posts = selectors.posts_visible(user).order_by("-year", "village_id", "member__name")
    return {"posts": posts, "levels": translated(WelfarePost.LEVELS), "year": timezone.localdate().year}


@login_required
@replica_ok
def post_list(request: AuthedHttpRequest) -> HttpResponse:
    officers_only(request.user)
    return render(request, "employment/post_list.html", _context(request) | {"values": {"level": "village"}})


def _on_list[T](
    request: AuthedHttpRequest, form: str, *, run: Callable[[dict[str, str]], T], done: str | Callable[[T], str]
) -> HttpResponse:
    """A form of the posts page (the appointment, or one post's months): shown again with its problems
    beside it (`fe[form]`), or back to the list."""
    officers_only(request.user)
    fields = ["months_served"] if form.startswith("months-") else _POST_FIELDS
    return form_post(
        request,
        template="employment/post_list.html",
        context=lambda: _context(request) | {"values": {"level": "village"}},
        fields=fields,
        run=run,
        done=done,
        then="employment:post_list",
        keep_as="values" if form == "create" else "months",
        form=form,
    )


@login_required
@page_on_get("employment:post_list")
@writes(Cap.EMPLOYMENT_EDIT)
def post_create(request: AuthedHttpRequest) -> HttpResponse:
    """Appoint a person for one year; the per-household limit and age limit in force are checked."""
    return _on_list(
        request,
        "create",
        run=lambda v: services.welfare_post_create(actor=request.user, post=employment_inputs.post_input(v)),
        done=lambda p: _("已聘用：%(name)s %(post)s") % {"name": p.member.name, "post": p.post_type},
    )


def _post_seen(request: AuthedHttpRequest, pk: int) -> dict[str, int]:
    selectors.post_get(request.user, pk)  # 404 outside the user's areas
    return {}


@login_required
@page_on_get("employment:post_list", to=_post_seen)
@writes(Cap.EMPLOYMENT_EDIT)
def post_months(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Months served after the assessment; the pay earned becomes the household's wage income."""

    def run(v: dict[str, str]) -> Any:
        months = inputs.whole(v["months_served"], "months_served", zh="聘用月数", en="months served")
        post = selectors.post_get(request.user, pk)
        return services.welfare_post_months(actor=request.user, post=post, months_served=months)

    return _on_list(request, f"months-{pk}", run=run, done=_("聘用月数已更新"))


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def post_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The last day served and a reason from the list; the household may then be given a post again."""
    user: Any = request.user
    officers_only(user)
    post = selectors.post_to_change(user, pk)
    return ending_form(
        request,
        template="employment/post_end.html",
        context={"p": post, "reasons": reason_choices(POST_END_REASONS)},
        end=lambda **values: services.welfare_post_end(actor=user, post=post, **values),
        done=_("已退岗：%(name)s %(post)s") % {"name": post.member.name, "post": post.post_type},
        then="employment:post_list",
    )
