"""Training courses (officers' and operators' own) and who attended them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.models import TrainingCourse, TrainingRecord

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _course_q(user: User, prefix: str = "", *, edit: bool = False) -> Q:
    return access.officer_q(user, f"{prefix}village_id", edit=edit) | access.operator_q(
        user, f"{prefix}workshop__village_id", f"{prefix}workshop__operator__credit_code"
    )


def courses_visible(user: User, *, edit: bool = False) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(_course_q(user, edit=edit)).select_related("workshop")


def course_get(user: User, pk: int, *, edit: bool = False) -> TrainingCourse:
    c = get_or_404(courses_visible(user, edit=edit), pk)
    return c


def trainees_of(user: User, course_id: int) -> list[TrainingRecord]:
    c = course_get(user, course_id)
    return list(c.records.select_related("member", "household").order_by("member__name"))


def training_history(user: User, member_ids: list[int]) -> dict[int, list[TrainingRecord]]:
    rows = (
        TrainingRecord.objects.filter(_course_q(user, "course__"), member_id__in=member_ids)
        .select_related("course")
        .order_by("course__start")
    )
    out: dict[int, list[TrainingRecord]] = {m: [] for m in member_ids}
    for r in rows:
        out[r.member_id].append(r)
    return out


def with_trainee_counts(courses: QuerySet[TrainingCourse]) -> QuerySet[TrainingCourse]:
    return courses.annotate(trainees=Count("records"))
