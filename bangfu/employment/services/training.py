"""Writes about training courses (incl. order-based 劳务订单培训) and their trainees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import access, selectors
from bangfu.employment.models import TrainingCourse, TrainingRecord
from bangfu.employment.services._common import date, find_person, text, whole
from bangfu.employment.services.workshops import _village

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def course_create(*, actor: User, values: dict[str, Any]) -> TrainingCourse:
    """Officers organise courses for a village; an operator user only for its own workshop."""
    workshop = None
    if values.get("workshop"):
        workshop = get_or_404(selectors.workshops_visible(actor, edit=True), values["workshop"])
    if access.is_operator_user(actor):
        if workshop is None:
            raise invalid("workshop", "请选择本企业的车间", "choose one of your workshops")
        village = workshop.village
    else:
        village = _village("village", str(values.get("village") or (workshop.village_id if workshop else "")))
        areas.require(actor, Cap.EMPLOYMENT_EDIT, village.code)
    start, end = date("start", values.get("start")), date("end", values.get("end"))
    if end < start:
        raise invalid("end", "结束日期不能早于开始日期", "the end date cannot be before the start")
    course = TrainingCourse.objects.create(
        village=village,
        workshop=workshop,
        provider=text("provider", values.get("provider"), "培训机构", "provider"),
        place=text("place", values.get("place"), "培训地点", "place"),
        province=text("province", values.get("province"), "培训省份", "province", 20),
        skill=text("skill", values.get("skill"), "培训工种", "skill", 60),
        start=start,
        end=end,
        hours=whole("hours", values.get("hours"), low=1, high=2000),
        order_based=str(values.get("order_based", "")).lower() in {"1", "true", "on", "yes", "是"},
        certificate=str(values.get("certificate", ""))[:100],
    )
    audit_record(actor=actor, action="course_create", obj=course, area_code=village.code)
    return course


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
