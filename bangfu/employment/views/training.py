"""Training pages: the courses the user may see, a course form (order-based training for a workshop,
or a village's own course) and a course page whose trainees are added by ID number."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.errors import ApplicationError
from bangfu.core.replicas import replica_ok
from bangfu.core.views import int_or_none
from bangfu.employment import access, selectors, services
from bangfu.employment.views._forms import failed, posted

_COURSE_FIELDS = [
    "workshop",
    "village",
    "provider",
    "place",
    "province",
    "skill",
    "start",
    "end",
    "hours",
    "order_based",
    "certificate",
]


@login_required
@replica_ok
def course_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    courses = selectors.courses_visible(user).select_related("village").order_by("-start", "pk")
    return render(request, "employment/course_list.html", {"courses": selectors.with_trainee_counts(courses)})


def _choices(user: Any) -> dict[str, Any]:
    operator = access.is_operator_user(user)
    villages = [] if operator else areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)
    return {
        "workshops": [(w.pk, w.name) for w in selectors.workshops_visible(user, edit=True).order_by("name")],
        "villages": [(v.code, v.name) for v in villages],
        "operator_user": operator,
    }


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def course_new(request: HttpRequest) -> HttpResponse:
    """Officers organise a course for a village or a workshop; an enterprise user for its workshops."""
    user: Any = request.user
    context: dict[str, Any] = {"values": {"workshop": request.GET.get("workshop", ""), "order_based": "on"}}
    if request.method == "POST":
        values = posted(request, _COURSE_FIELDS)
        try:
            course = services.course_create(actor=user, values=values)
        except ApplicationError as exc:
            context = failed(exc, values=values)
        else:
            messages.success(request, f"已登记培训：{course.skill} Course recorded")
            return redirect("employment:course_detail", pk=course.pk)
    status = context["error"].status if "error" in context else 200
    return render(request, "employment/course_form.html", context | _choices(user), status=status)


def _course_context(user: Any, pk: int) -> dict[str, Any]:
    course = selectors.course_get(user, pk)
    workers = selectors.workers_of(user, course.workshop_id) if course.workshop_id else []
    return {
        "course": course,
        "trainees": selectors.trainees_of(user, pk),
        "workers": workers,
        "worker_options": [(c.member_id, c.member.name) for c in workers],
    }


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "employment/course_detail.html", _course_context(request.user, pk))


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def course_trainee_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a trainee by ID number (anyone registered in the user's areas) or one of the workshop's workers."""
    user: Any = request.user
    values = posted(request, ["id_number", "member", "certificate_no"])
    try:
        course = selectors.course_get(user, pk)
        services.trainee_add(
            actor=user,
            course=course,
            id_number=values["id_number"] or None,
            member_id=int_or_none(values["member"]),
            certificate_no=values["certificate_no"],
        )
    except ApplicationError as exc:
        context = failed(exc, values=values) | _course_context(user, pk)
        return render(request, "employment/course_detail.html", context, status=exc.status)
    messages.success(request, "已加入培训名单 Trainee added")
    return redirect("employment:course_detail", pk=pk)
