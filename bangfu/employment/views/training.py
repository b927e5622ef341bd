"""Training pages: the courses the user may see, a course form (order-based training for a workshop,
or a village's own course) and a course page whose trainees are added by ID number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get
from bangfu.employment import access, selectors, services
from bangfu.employment import inputs as employment_inputs
from bangfu.employment.views._forms import worker_picked

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
def course_list(request: AuthedHttpRequest) -> HttpResponse:
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
def course_new(request: AuthedHttpRequest) -> HttpResponse:
    """Officers organise a course for a village or a workshop; an enterprise user for its workshops."""
    user: Any = request.user
    return form_post(
        request,
        template="employment/course_form.html",
        context=lambda: _choices(user),
        initial={"workshop": request.GET.get("workshop", ""), "order_based": "on"},
        fields=_COURSE_FIELDS,
        run=lambda v: services.course_create(actor=user, course=employment_inputs.course_input(v)),
        done=lambda course: _("已登记培训：%(skill)s") % {"skill": course.skill},
        then=lambda course: redirect("employment:course_detail", pk=course.pk),
    )


def _course_context(user: Any, pk: int) -> dict[str, Any]:
    course = selectors.course_get(user, pk)
    workers = selectors.workers_of(user, course.workshop_id) if course.workshop_id else []
    return {
        "course": course,
        "trainees": selectors.trainees_of(user, pk),
        "workers": workers,
        "open_workers": [c for c in workers if c.end is None],
    }


@login_required
def course_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "employment/course_detail.html", _course_context(request.user, pk))


@login_required
@page_on_get("employment:course_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def course_trainee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Add a trainee by ID number (anyone registered in the user's areas) or one of the workshop's workers,
    picked in a search box (name and masked ID), not from a list of every worker."""
    user: Any = request.user

    def member(typed: str) -> int | None:
        course = selectors.course_get(user, pk)
        return worker_picked(user, course.workshop_id, typed) if typed and course.workshop_id else None

    return form_post(
        request,
        template="employment/course_detail.html",
        context=lambda: _course_context(user, pk),
        fields=["id_number", "worker", "certificate_no"],
        run=lambda v: services.trainee_add(
            actor=user,
            course=selectors.course_get(user, pk),
            id_number=v["id_number"] or None,
            member_id=member(v["worker"]),
            certificate_no=v["certificate_no"],
        ),
        done=_("已加入培训名单"),
        then=lambda _: redirect("employment:course_detail", pk=pk),
    )
