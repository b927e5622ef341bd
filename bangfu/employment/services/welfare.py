"""Writes about public-welfare posts (公益岗位); pay flows into wage income (wage.welfare_post)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core import inputs
from bangfu.core.errors import Conflict, FieldProblem, ValidationFailed, invalid
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import endings, welfare
from bangfu.employment.domain.endings import POST_END_REASONS
from bangfu.employment.models import WelfarePost
from bangfu.employment.services._common import coded_reason, find_person
from bangfu.registry import services as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class PostInput:
    """An appointment as typed on the posts page or sent to the API, parsed at the edge
    (`employment.inputs.post_input`). `end` None: one year from `start`."""

    level: str
    post_type: str
    start: dt.date
    monthly_pay: Decimal
    end: dt.date | None = None
    member_id: int | None = None
    id_number: str | None = None


@transaction.atomic
def welfare_post_create(*, actor: User, post: PostInput) -> WelfarePost:
    """Appoint a person to a post for one year, within the per-household and age limits in force."""
    member = find_person(actor, member_id=post.member_id, id_number=post.id_number)
    household = member.household
    areas.require(actor, Cap.EMPLOYMENT_EDIT, household.village_id)
    start = post.start
    end = post.end or (start.replace(year=start.year + 1) - dt.timedelta(days=1))
    if not start < end <= start.replace(year=start.year + 1):
        raise invalid("end", "公益岗位实行一年一聘，截止日期须在起始后一年内", "posts run for one year at most")
    policy = selectors.policy_in_force(household.village_id, start)
    # Lock the household's posts so two officers cannot both fill the last place.
    overlapping = WelfarePost.objects.select_for_update().filter(
        household_id=household.pk, start__lte=end, end__gte=start
    )
    limits = welfare.PostLimits(policy.welfare_posts_per_household, policy.welfare_max_age)
    problems = welfare.check_new_post(
        held_by_household=len(list(overlapping)), birth_date=member.birth_date, start=start, limits=limits
    )
    if problems:
        raise ValidationFailed(
            [FieldProblem(p.field, p.zh, p.en) for p in problems], zh=problems[0].zh, en=problems[0].en
        )
    made = WelfarePost.objects.create(
        village_id=household.village_id,
        household=household,
        member=member,
        level=post.level,
        post_type=post.post_type,
        year=start.year,
        start=start,
        end=end,
        monthly_pay=post.monthly_pay,
    )
    audit_record(actor=actor, action="welfare_post_create", obj=made, area_code=household.village_id)
    return made


def _record_pay(actor: User, p: WelfarePost) -> None:
    """The pay earned (monthly pay × months served) as the household's wage income, one line per post."""
    registry.income_record(
        household_id=p.household_id,
        year=p.year,
        item="wage.welfare_post",
        amount=welfare.post_pay(p.monthly_pay, p.months_served),
        source="employment",
        source_ref=f"welfare_post:{p.pk}",
        member_id=p.member_id,
        note=p.post_type,
        actor=actor,
    )


def _locked(actor: User, post: WelfarePost) -> WelfarePost:
    seen = selectors.post_to_change(actor, post.pk)  # 404 beyond the actor's areas, 403 without the right
    return WelfarePost.objects.select_for_update().get(pk=seen.pk)


@transaction.atomic
def welfare_post_months(*, actor: User, post: WelfarePost, months_served: int) -> WelfarePost:
    """Record months served (after the assessment); the pay earned becomes the household's income."""
    p = _locked(actor, post)
    p.months_served = inputs.whole(months_served, "months_served", high=min(12, endings.months_covered(p.start, p.end)))
    p.save(update_fields=["months_served"])
    _record_pay(actor, p)
    audit_record(
        actor=actor,
        action="welfare_post_months",
        obj=p,
        area_code=p.village_id,
        data={"months": p.months_served},
    )
    return p


@transaction.atomic
def welfare_post_end(*, actor: User, post: WelfarePost, end: dt.date, reason: str, note: str = "") -> WelfarePost:
    """Leaving a post (退岗). `end` is the last day served; from the next day the person no longer
    counts as employed and the household's place is free for another appointment."""
    p = _locked(actor, post)
    if p.end_code:
        raise Conflict(
            f"该岗位已于{p.end}退岗，不能重复退岗", f"This post already ended on {p.end}", code="already_ended"
        )
    day = inputs.date(end, "end", future=True)
    if day < p.start:
        raise invalid(
            "end", f"退岗日期不能早于聘用起始日期{p.start}", f"the end date cannot be before the start, {p.start}"
        )
    if day > p.end:
        raise invalid(
            "end",
            f"退岗日期不能晚于聘用截止日期{p.end}（到期自然结束）",
            f"the end date cannot be after the post's last day, {p.end} (it ends by itself then)",
        )
    why, remark = coded_reason(POST_END_REASONS, reason, note)
    served = endings.months_covered(p.start, day)
    shortened = p.months_served > served  # months recorded beyond the last day were never served
    p.end, p.end_code, p.ended_reason = day, why.code, remark
    p.months_served = min(p.months_served, served)
    p.save(update_fields=["end", "end_code", "ended_reason", "months_served"])
    if shortened:
        _record_pay(actor, p)
    audit_record(
        actor=actor,
        action="welfare_post_end",
        obj=p,
        area_code=p.village_id,
        reason=remark or why.zh,
        data={"end": str(day), "reason": why.code, "months": p.months_served},
    )
    return p
