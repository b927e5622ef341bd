"""Public-welfare posts (公益岗位): the officers' list, appointment by ID number, months served,
leaving a post (退岗) with a coded reason."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import inputs
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post
from bangfu.employment import selectors, services
from bangfu.employment.domain.endings import POST_END_REASONS, choices
from bangfu.employment.models import WelfarePost
from bangfu.employment.views._forms import ending_form, officers_only

_POST_FIELDS = ["id_number", "post_type", "level", "start", "end", "monthly_pay"]


def _context(request: AuthedHttpRequest) -> dict[str, Any]:
    user: Any = request.user
    posts = selectors.posts_visible(user).order_by("-year", "village_id", "member__name")
    return {"posts": posts, "levels": WelfarePost.LEVELS, "year": timezone.localdate().year}


@login_required
@replica_ok
def post_list(request: AuthedHttpRequest) -> HttpResponse:
    officers_only(request.user)
    return render(request, "employment/post_list.html", _context(request) | {"values": {"level": "village"}})


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def post_create(request: AuthedHttpRequest) -> HttpResponse:
    """Appoint a person for one year; the per-household limit and age limit in force are checked."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/post_list.html",
        context=lambda: _context(request),
        fields=_POST_FIELDS,
        run=lambda v: services.welfare_post_create(actor=user, values=v | {"end": v["end"] or None}),
        done=lambda p: f"已聘用：{p.member.name} {p.post_type} Post recorded",
        then="employment:post_list",
        form="create",
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def post_months(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Months served after the assessment; the pay earned becomes the household's wage income."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/post_list.html",
        context=lambda: _context(request) | {"values": {"level": "village"}},
        fields=["months_served"],
        run=lambda v: services.welfare_post_months(
            actor=user,
            post=selectors.post_get(user, pk),
            months_served=inputs.whole(v["months_served"], "months_served", zh="聘用月数", en="months served"),
        ),
        done="聘用月数已更新 Months recorded",
        then="employment:post_list",
        keep_as="months",
        form=f"months-{pk}",
    )


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
        context={"p": post, "reasons": choices(POST_END_REASONS)},
        end=lambda **values: services.welfare_post_end(actor=user, post=post, **values),
        done=f"已退岗：{post.member.name} {post.post_type} Post ended",
        then="employment:post_list",
    )
