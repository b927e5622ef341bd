"""The public self-report (自主申报): a lead in the township's queue, rate-limited, revealing nothing."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from bangfu.areas.selectors import area_by_code
from bangfu.casework import selectors
from bangfu.casework.domain import codes
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, SelfReportAttempt, SelfReportReceipt
from bangfu.casework.services.cases import case_open
from bangfu.casework.services.common import set_state
from bangfu.core import crypto
from bangfu.core.domain.idnumber import IdNumber, InvalidIdNumber, parse
from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed, invalid
from bangfu.core.services import audit_record
from bangfu.registry.selectors import member_by_id_number_unscoped

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class RateLimited(ApplicationError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en, code="rate_limited", status=429)


@dataclass(frozen=True)
class Receipt:
    """What the anonymous reporter is told: the deadline any new lead of the village gets today.

    Never the case: whether the person is registered or their household already has a case (whose
    own deadline would differ) must not show in the answer (security review D6).
    """

    due_on: dt.date | None
    reference: str = ""  # random, for the reporter to look up the progress (with their phone)


def self_report_submit(*, address: str, fields: dict[str, Any]) -> Receipt:
    """Check the limits, count the attempt (kept even when the form is wrong), then create the lead.

    The answer is the same whether or not the person is registered or already has a case, so
    the page cannot be used to find out anything about a household. `address` is the client
    address from bangfu.core.client (X-Forwarded-For only through a trusted proxy).
    """
    village = _village(str(fields.get("village", "")))
    params = selectors.params_for(village, timezone.localdate())
    id_number = _id_or_none(str(fields.get("id_number", "")))
    address_hash = crypto.lookup_hash("self-report-addr|" + address)
    id_hash = crypto.lookup_hash("self-report-id|" + id_number.value) if id_number else ""
    since = timezone.now() - dt.timedelta(hours=params.report_window_hours)
    recent = SelfReportAttempt.objects.filter(at__gte=since)
    if recent.filter(address_hash=address_hash).count() >= params.reports_per_address:
        raise RateLimited(
            f"提交次数过多，请{params.report_window_hours}小时后再试，或拨打12317热线反映",
            f"Too many reports from this connection; try again in {params.report_window_hours} hours "
            "or call the 12317 hotline",
        )
    if id_hash and recent.filter(id_hash=id_hash).count() >= params.reports_per_id:
        raise RateLimited(
            f"该身份证号近{params.report_window_hours}小时内已多次申报，工作人员会尽快联系您，请勿重复提交",
            "Reports were already received for this ID number; staff will contact you, please do not submit again",
        )
    SelfReportAttempt.objects.create(address_hash=address_hash, id_hash=id_hash)
    with transaction.atomic():
        case = _create(village, id_number, fields)
        due = _new_lead_due(village)
        receipt = SelfReportReceipt.objects.create(
            reference=_reference(),
            case=case,
            phone_hash=selectors.report_phone_key(str(fields.get("phone", ""))),
            due_on=due,
        )
    return Receipt(due_on=due, reference=receipt.reference)


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def _reference() -> str:
    """SB20261205-7K3QPX: the day, then six random characters (a billion per day; never a count that
    would tell how many reports a village made)."""
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"SB{timezone.localdate():%Y%m%d}-{tail}"


def _new_lead_due(village: str) -> dt.date | None:
    """The deadline set_state gives a lead opened today in the village, computed without one."""
    probe = Case(village_id=village)
    set_state(probe, State.LEAD, timezone.localdate())
    return probe.due_on


def _village(code: str) -> str:
    area = area_by_code(code) if code else None
    if area is None or area.level != "village":
        raise invalid("village", "请选择您所在的村", "choose your village")
    return area.code


def _id_or_none(raw: str) -> IdNumber | None:
    try:
        return parse(raw)
    except InvalidIdNumber:
        return None


@transaction.atomic
def _create(village: str, id_number: IdNumber | None, fields: dict[str, Any]) -> Case:
    name = str(fields.get("name", "")).strip()
    phone = str(fields.get("phone", "")).strip().replace(" ", "")
    hardship = str(fields.get("hardship", "")).strip()
    description = str(fields.get("description", "")).strip()
    problems = _problems(name, str(fields.get("id_number", "")), phone, hardship, description)
    if problems:
        raise ValidationFailed(problems)
    assert id_number is not None  # _problems reported an invalid number
    member = member_by_id_number_unscoped(id_number.value)
    # Linked only inside the chosen village, so no officer sees a household outside their area.
    household = member.household if member and member.household.village_id == village else None
    case = case_open(
        actor=None,
        household=household,
        village_code=village,
        source="self_report",
        summary=f"{hardship}：{description}",
        hardship=hardship,
    )
    if case.source == "self_report" and not case.reporter_id_hash:
        Case.objects.filter(pk=case.pk).update(
            reporter_name=name,
            reporter_phone=phone,
            reporter_id_hash=crypto.lookup_hash(id_number.value),
            reporter_id_masked=id_number.masked,
        )
    return case


def _problems(name: str, raw_id: str, phone: str, hardship: str, description: str) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if not 2 <= len(name) <= 30:
        p.append(FieldProblem("name", "请填写申报人姓名", "enter your name"))
    try:
        parse(raw_id)
    except InvalidIdNumber as e:
        p.append(FieldProblem("id_number", e.zh, e.en))
    if not PHONE.match(phone):
        p.append(
            FieldProblem(
                "phone",
                "请填写11位手机号或带区号的固定电话",
                "enter an 11-digit mobile or a landline with area code",
            )
        )
    if hardship not in codes.HARDSHIP_TYPES:
        p.append(FieldProblem("hardship", "请选择困难类型", "choose the type of hardship"))
    if not 5 <= len(description) <= 1000:
        p.append(
            FieldProblem("description", "请用5至1000字说明遇到的困难", "describe the hardship in 5 to 1000 characters")
        )
    return p


@transaction.atomic
def self_report_attempts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete rate-limit rows no limit can count any more; returns how many were deleted.

    A row matters only inside the longest report window configured in any area (any version, so a
    window shortened today still protects reports counted under yesterday's longer one).
    """
    now = now or timezone.now()
    hours = selectors.longest_report_window_hours()
    deleted, _ = SelfReportAttempt.objects.filter(at__lt=now - dt.timedelta(hours=hours)).delete()
    audit_record(
        actor=None,
        action="self_report_attempts_purge",
        obj=SelfReportAttempt(),
        area_code="",
        data={"deleted": deleted},
    )
    return deleted
