"""Writes about training courses (incl. order-based 劳务订单培训) and their trainees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import access, selectors
from bangfu.employment.models import TrainingCourse, TrainingRecord
from bangfu.employment.services._common import find_person
from bangfu.employment.services.workshops import _village

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class CourseInput:
    """A course as typed on the course form or sent to the API, parsed at the edge
    (`employment.inputs.course_input`). `village` "" for a workshop's course: the workshop's village."""

    provider: str
    place: str
    province: str
    skill: str
    start: dt.date
    end: dt.date
    hours: int
    village: str = ""
    workshop_id: int | None = None
    order_based: bool = False
    certificate: str = ""


@transaction.atomic
def course_create(*, actor: User, course: CourseInput) -> TrainingCourse:
    """Officers organise courses for a village; an operator user only for its own workshop."""
    workshop = None
    if course.workshop_id is not None:
        workshop = get_or_404(selectors.workshops_visible(actor, edit=True), course.workshop_id)
    if access.is_operator_user(actor):
        if workshop is None:
            raise invalid("workshop", "请选择本企业的车间", "choose one of your workshops")
        village = workshop.village
    else:
        village = _village("village", course.village or (workshop.village_id if workshop else ""))
        areas.require(actor, Cap.EMPLOYMENT_EDIT, village.code)
    if course.end < course.start:
        raise invalid("end", "结束日期不能早于开始日期", "the end date cannot be before the start")
    made = TrainingCourse.objects.create(
        village=village,
        workshop=workshop,
        provider=course.provider,
        place=course.place,
        province=course.province,
        skill=course.skill,
        start=course.start,
        end=course.end,
        hours=course.hours,
        order_based=course.order_based,
        certificate=course.certificate,
    )
    audit_record(actor=actor, action="course_create", obj=made, area_code=village.code)
    return made


@transaction.atomic
def trainee_add(
    *,
    actor: User,
    course: TrainingCourse,
    member_id: int | None = None,
    id_number: str | None = None,
    completed: bool = True,
    certificate_no: str = "",
) -> TrainingRecord:
    c = selectors.course_get(actor, course.pk, edit=True)
    member = find_person(actor, member_id=member_id, id_number=id_number)
    if TrainingRecord.objects.filter(course=c, member=member).exists():
        raise Conflict("此人已在该培训名单中", "This person is already on the course")
    record = TrainingRecord.objects.create(
        course=c,
        member=member,
        household_id=member.household_id,
        completed=completed,
        certificate_no=certificate_no.strip()[:60],
    )
    audit_record(actor=actor, action="trainee_add", obj=record, area_code=c.village_id)
    return record
