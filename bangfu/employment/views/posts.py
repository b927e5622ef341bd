"""Public-welfare posts (公益岗位): the officers' list, appointment by ID number, months served,
leaving a post (退岗) with a coded reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.core.errors import ApplicationError
from bangfu.core.replicas import replica_ok
from bangfu.employment import selectors, services
from bangfu.employment.domain.endings import POST_END_REASONS, choices
from bangfu.employment.models import WelfarePost
from bangfu.employment.views._forms import ending_form, failed, officers_only, posted

_POST_FIELDS = ["id_number", "post_type", "level", "start", "end", "monthly_pay"]


def _page(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    user: Any = request.user
    year = timezone.localdate().year
    posts = selectors.posts_visible(user).order_by("-year", "village_id", "member__name")
    context = {"posts": posts, "levels": WelfarePost.LEVELS, "year": year, "values": {"level": "village"}}
    return render(request, "employment/post_list.html", context | extra, status=status)


@login_required
@replica_ok
def post_list(request: HttpRequest) -> HttpResponse:
    officers_only(request.user)
    return _page(request, {})


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def post_create(request: HttpRequest) -> HttpResponse:
    """Appoint a person for one year; the per-household limit and age limit in force are checked."""
    user: Any = request.user
    officers_only(user)
    values = posted(request, _POST_FIELDS)
    try:
        p = services.welfare_post_create(actor=user, values=values | {"end": values["end"] or None})
    except ApplicationError as exc:
        return _page(request, failed(exc, values=values, form="create"), exc.status)
    messages.success(request, f"已聘用：{p.member.name} {p.post_type} Post recorded")
    return redirect("employment:post_list")


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def post_months(request: HttpRequest, pk: int) -> HttpResponse:
    """Months served after the assessment; the pay earned becomes the household's wage income."""
    user: Any = request.user
    officers_only(user)
    try:
        post = selectors.post_get(user, pk)
        services.welfare_post_months(actor=user, post=post, months_served=request.POST.get("months_served", ""))
    except ApplicationError as exc:
        return _page(request, failed(exc, form=f"months-{pk}"), exc.status)
    messages.success(request, "聘用月数已更新 Months recorded")
    return redirect("employment:post_list")


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The last day served and a reason from the list; the household may then be given a post again."""
    user: Any = request.user
    officers_only(user)
    post = selectors.post_to_change(user, pk)
    return ending_form(
        request,
        template="employment/post_end.html",
        context={"p": post, "reasons": choices(POST_END_REASONS)},
        end=lambda **values: services.welfare_post_end(actor=user, post=post, **values),
        done=f"已退岗：{post.member.name} {post.post_type} Post ended",
        then="employment:post_list",
    )
