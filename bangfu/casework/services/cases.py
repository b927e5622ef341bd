"""Writes of monitoring cases: opening, every procedure step, and the assistance plan's measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangfu.accounts import selectors as accounts
from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import require
from bangfu.casework import selectors
from bangfu.casework.domain import codes, deliberation, duties
from bangfu.casework.domain.deadlines import notice_end
from bangfu.casework.domain.procedure import TABLE, Event, State
from bangfu.casework.models import Case, CaseEvent, Measure, Objection, PublicNotice
from bangfu.casework.services.common import check_files, record_event, set_state, step_date
from bangfu.core.domain import inputs
from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import Conflict, FieldProblem, Forbidden, ValidationFailed, invalid, refused
from bangfu.core.policy import date_window
from bangfu.core.services import audit_record
from bangfu.registry import services as registry
from bangfu.registry.selectors import household_get

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household


@transaction.atomic
def case_open(
    *,
    actor: User | None,
    household: Household | None,
    source: str,
    summary: str,
    source_ref: str = "",
    village_code: str | None = None,
    hardship: str = "",
    on: dt.date | None = None,
) -> Case:
    """Open a lead (LEAD state) in the township's queue, or add the report to the household's case.

    A household has at most one live case: a new report on a household whose case is open,
    monitored or eliminated is recorded on that case (the township decides whether to reopen),
    and the same source_ref twice returns the case without recording anything again.
    """
    if source not in codes.SOURCES:
        raise invalid("source", "来源无效", f"source must be one of {', '.join(codes.SOURCES)}")
    if not summary.strip():
        raise invalid("summary", "请简要说明风险情况", "describe the risk briefly")
    village = household.village_id if household else village_code
    if not village:
        raise invalid("village", "请选择村", "choose the village")
    require(
        actor,
        Cap.LOG_VISITS if source == "grid" else Cap.HANDLE_WARNINGS,
        village,
        grid_id=household.grid_id if household else None,
    )
    on = step_date(on)
    if source_ref:
        existing = Case.objects.filter(source=source, source_ref=source_ref).first() or _event_with_ref(source_ref)
        if existing is not None:
            return existing
    live = _live_case(household)
    if live is None:
        case = Case(
            village_id=village,
            household=household,
            source=source,
            source_ref=source_ref,
            summary=summary,
            hardship=hardship,
            opened_on=on,
        )
        set_state(case, State.LEAD, on)
        try:
            with transaction.atomic():  # savepoint: a report sent at the same moment may have opened it
                case.save()
        except IntegrityError:  # uniq_live_case: that report won, this one joins its case
            live = _live_case(household)
            if live is None:
                raise
    if live is not None:
        record_event(
            case=live,
            actor=actor,
            event="report",
            from_state=live.state,
            on=on,
            note=summary,
            data={"source": source, "source_ref": source_ref},
        )
        return live
    record_event(
        case=case,
        actor=actor,
        event="open",
        from_state="",
        on=on,
        note=summary,
        data={"source": source, "source_ref": source_ref},
    )
    return case


def follow_household_move(*, household: Household, **_: Any) -> None:
    """registry.household_moved: the household's cases (and with them notices and measures) move with it.

    Runs in the move's transaction, so the old village's cadres lose the cases as the new ones gain them.
    """
    Case.objects.filter(household_id=household.pk).update(village_id=household.village_id)


def _event_with_ref(source_ref: str) -> Case | None:
    return Case.objects.filter(events__event="report", events__data__source_ref=source_ref).first()


def _live_case(household: Household | None) -> Case | None:
    if household is None:
        return None
    return Case.objects.filter(household=household).exclude(state=State.REJECTED.value).order_by("-pk").first()


# --- steps --------------------------------------------------------------------------------------


@transaction.atomic
def case_step(
    *,
    actor: User | None,
    case: Case,
    event: str,
    on: dt.date | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    files: Iterable[UploadedFile[bytes]] = (),
) -> Case:
    """Take one step of the procedure: record what the step brings, check role and guards, move on.

    The row is locked first, so two officers approving at once cannot both succeed.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(actor, Cap.VIEW_PEOPLE, case.village_id, grid_id=case.household.grid_id if case.household else None)
    try:
        ev = Event(event)
    except ValueError:
        raise invalid("event", "办理事项无效", "unknown step") from None
    on = step_date(on, case.state_since)
    data = dict(data or {})
    before = State(case.state)
    if TABLE.find(before, ev) is None:  # out of order: say so before looking at what the form brought
        try:
            TABLE.decide(before, ev, ())
        except StepRefused as exc:
            raise refused(exc) from None
    _RECORDERS.get(ev, _no_data)(actor, case, data, before)
    if ev == Event.DELIBERATE and case.vote.get("result") == "failed":
        ev = Event.REJECT  # the village did not agree: the case ends here (elimination: stays monitored)
    facts = selectors.case_facts(case, on, elimination=ev in (Event.PROPOSE_ELIMINATION, Event.APPROVE))
    caps = (
        selectors.case_caps(actor, case)
        if actor is not None
        else frozenset({"case_accept", "case_village", "case_approve"})
    )
    try:
        t = TABLE.decide(before, ev, caps, facts, note)
    except StepRefused as exc:
        raise refused(exc) from None
    delegation = _duties_apart(actor, case, ev, before, on)
    accepted = check_files(files)  # after the role check: a reader's upload is refused as such (403)
    deadline_from = _apply_effects(actor, case, ev, before, t.target, on, note)
    set_state(case, t.target, on, deadline_from)
    case._change_reason = f"{ev.value}: {note}"[:100]
    case.save()
    record_event(
        case=case,
        actor=actor,
        event=ev.value,
        from_state=before.value,
        on=on,
        note=note,
        data=_event_data(ev, case, data) | delegation,
        files=accepted,
    )
    return case


def _duties_apart(actor: User | None, case: Case, ev: Event, state: State, on: dt.date) -> dict[str, Any]:
    """Refuse a step whose taker did a conflicting earlier one in this round, unless the county
    recorded a delegation for it; returns what the event keeps of the delegation used."""
    history = CaseEvent.objects.filter(case=case).order_by("at", "pk").values_list("event", "actor_id")
    apart = duties.conflict(ev, state, actor.pk if actor is not None else None, history)
    if apart is None or actor is None:
        return {}
    delegation = accounts.delegation_for(actor, apart.pair, case.village_id, on)
    if delegation is None:
        raise Forbidden(apart.zh, apart.en)
    return {"delegation": delegation.pk, "delegation_reason": delegation.reason}


def _no_data(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    return None


def _link_household(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    """On acceptance the township may link the lead to a registered household of its own area."""
    hid = data.get("household_id")
    if not hid:
        return
    if actor is None:
        raise invalid("household_id", "系统调用须直接传入农户", "system callers pass the household when opening")
    h = household_get(actor, int(hid))
    if h.village_id[:9] != case.village_id[:9]:
        raise invalid("household_id", "该户不在本乡镇", "that household is not in this township")
    live = _live_case(h)
    if live is not None and live.pk != case.pk:
        raise Conflict(
            f"该户已有在办案件#{live.pk}，请在该案件中办理（本线索可驳回）",
            f"this household already has a live case #{live.pk}; handle it there (this lead can be rejected)",
            "live_case_exists",
        )
    case.household, case.village_id = h, h.village_id


def _record_verification(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    survey = str(data.get("survey", "")).strip()
    if survey:
        case.survey = survey
    if state == State.ACCEPTED and data.get("consent_signed_on"):
        case.consent_signed_on = _date(data["consent_signed_on"], "consent_signed_on")


def _record_comparison(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    result = {k: str(data.get(k, "")).strip() for k in codes.COMPARISON_ITEMS if str(data.get(k, "")).strip()}
    case.comparison = {**case.comparison, **result}


def _record_deliberation(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    """Minutes, attendees and the vote; every missing or contradictory item is named beside its field."""
    case.minutes = str(data.get("minutes", "")).strip() or case.minutes
    case.attendees = str(data.get("attendees", "")).strip() or case.attendees
    problems: list[FieldProblem] = []
    try:
        vote = deliberation.parse_vote(
            data.get("vote_result"), data.get("present"), data.get("votes_for"), data.get("votes_against")
        )
        case.vote = vote.as_data()
    except ValidationFailed as exc:
        problems += exc.problems
    if not case.minutes.strip():
        problems.append(FieldProblem("minutes", "请填写评议纪要", "Give the minutes of the deliberation"))
    if not case.attendees.strip():
        problems.append(FieldProblem("attendees", "请填写参会人员", "Name the people who attended"))
    if problems:
        raise ValidationFailed(problems)


def _record_approval(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    if state != State.TOWNSHIP_REVIEWED:
        return
    case.monitoring_type = str(data.get("monitoring_type", "")).strip()
    risks = data.get("risk_codes") or []
    case.risk_codes = [risks] if isinstance(risks, str) else list(dict.fromkeys(risks))


def _record_proposal(actor: User | None, case: Case, data: dict[str, Any], state: State) -> None:
    case.rigid_expenditure_resolved = str(data.get("rigid_expenditure_resolved", "")).lower() in {
        "1",
        "true",
        "on",
        "是",
    }


_RECORDERS = {
    Event.ACCEPT: _link_household,
    Event.VERIFY: _record_verification,
    Event.COMPARE: _record_comparison,
    Event.DELIBERATE: _record_deliberation,
    Event.APPROVE: _record_approval,
    Event.PROPOSE_ELIMINATION: _record_proposal,
}


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise invalid(field, "日期格式应为 YYYY-MM-DD", "dates are written YYYY-MM-DD") from None


def _apply_effects(
    actor: User | None, case: Case, ev: Event, before: State, after: State, on: dt.date, note: str
) -> dt.date | None:
    """What a step changes besides the state; returns the day the next deadline counts from."""
    if ev == Event.PUBLISH:
        return _publish(case, before, on)
    if ev == Event.OBJECT:
        notice = selectors.current_notice(case)
        assert notice is not None  # the notice_open guard passed
        Objection.objects.create(notice=notice, received_on=on, content=note, recorded_by=actor)
        PublicNotice.objects.filter(pk=notice.pk).update(withdrawn=True)
        _restart_verification(case)
    h = case.household
    if ev == Event.APPROVE and after == State.COUNTY_APPROVED and h is not None:
        registry.household_set_monitoring(
            household=h,
            monitoring_type=case.monitoring_type,
            risk_codes=case.risk_codes,
            since=on,
            actor=actor,
            reason=f"案件#{case.pk}县级审定",
        )
    if ev == Event.APPROVE and after == State.RISK_ELIMINATED and h is not None:
        registry.household_set_monitoring(
            household=h,
            monitoring_type=h.monitoring_type,
            risk_codes=h.risk_codes,
            since=h.monitoring_since,
            eliminated_on=on,
            actor=actor,
            reason=f"案件#{case.pk}风险消除",
        )
    if ev == Event.REOPEN and h is not None:
        registry.household_set_monitoring(
            household=h,
            monitoring_type=h.monitoring_type,
            risk_codes=h.risk_codes,
            since=on,
            eliminated_on=None,
            actor=actor,
            reason=note,
        )
    if ev == Event.PROPOSE_ELIMINATION:
        _restart_verification(case)  # elimination has its own verification and deliberation
    return None


def _restart_verification(case: Case) -> None:
    """Survey and minutes must be taken again; the earlier ones stay in the events and history."""
    case.survey = case.minutes = case.attendees = ""


def _publish(case: Case, before: State, on: dt.date) -> dt.date:
    p = selectors.params_for(case.village_id, on)
    holidays, workdays = selectors.calendar_for(case.village_id)
    ends = notice_end(on, p.notice_days, p.notice_working_days, holidays, workdays)
    identify = before == State.VILLAGE_DELIBERATED
    title = "防止返贫监测对象识别公示" if identify else "防止返贫监测对象风险消除公示"
    PublicNotice.objects.create(
        case=case,
        kind="identify" if identify else "eliminate",
        starts_on=on,
        ends_on=ends,
        place=f"{case.village.name}村务公开栏",
        title=title,
        body=_notice_body(case, identify, on, ends),
    )
    return ends


def _notice_body(case: Case, identify: bool, starts: dt.date, ends: dt.date) -> str:
    """The posted text. Only the masked ID of the head is printed, as the policy requires."""
    h = case.household
    assert h is not None
    head = h.members.filter(relation="户主", active=True).first()
    masked = head.id_masked if head else ""
    what = "拟纳入防止返贫监测对象" if identify else "拟标注为风险消除"
    return (
        f"经农户申请(或排查发现)、入户核实、信息比对和村民主评议，下列农户{what}，现予公示。\n"
        f"户主：{h.head_name}　身份证号：{masked}　家庭人口：{h.size}人　住址：{case.village.name}\n"
        f"公示期：{starts:%Y年%m月%d日}至{ends:%Y年%m月%d日}。\n"
        f"如有异议，请于{ends:%Y年%m月%d日}前向村委会或乡镇人民政府反映（可实名或匿名）。"
    )


def _event_data(ev: Event, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """What the event row keeps of the step: the recorded results, never ID numbers."""
    if ev == Event.COMPARE:
        return {"comparison": case.comparison}
    if ev == Event.DELIBERATE or (ev == Event.REJECT and data.get("vote_result")):
        return {"attendees": case.attendees, "vote": case.vote}
    if ev == Event.APPROVE and case.monitoring_type:
        return {"monitoring_type": case.monitoring_type, "risk_codes": case.risk_codes}
    if ev == Event.VERIFY and case.consent_signed_on:
        return {"consent_signed_on": case.consent_signed_on.isoformat()}
    if ev == Event.PROPOSE_ELIMINATION:
        return {"rigid_expenditure_resolved": case.rigid_expenditure_resolved}
    return {}


# --- assistance plan (一户一策) -------------------------------------------------------------------

_PLAN_CLOSED = {State.REJECTED.value, State.RISK_ELIMINATED.value}


@transaction.atomic
def measure_add(
    *,
    actor: User | None,
    case: Case,
    category: str,
    title: str,
    responsible: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    amount: Decimal | str | int = 0,
    status: str = "planned",
    responsible_unit: str = "",
) -> Measure:
    """Add a measure to the household's plan. Allowed before identification ends (先行帮扶)."""
    require(actor, Cap.CASE_VILLAGE, case.village_id)
    if case.state in _PLAN_CLOSED:
        raise Conflict("该案件已结束，不能再添加帮扶措施", "The case is closed; no new measures can be added")
    problems = _measure_problems(category, title, responsible, starts_on, ends_on, status)
    try:
        value = inputs.amount(amount, "amount")
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    m = Measure.objects.create(
        case=case,
        category=category,
        title=title.strip(),
        responsible=responsible.strip(),
        responsible_unit=responsible_unit.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        amount=value,
        status=status,
    )
    record_event(
        case=case,
        actor=actor,
        event="plan",
        from_state=case.state,
        on=timezone.localdate(),
        note=f"{codes.MEASURE_CATEGORIES[category]}：{m.title}",
        data={"measure": m.pk, "status": status},
    )
    return m


def _measure_problems(
    category: str, title: str, responsible: str, starts: dt.date, ends: dt.date | None, status: str
) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if category not in codes.MEASURE_CATEGORIES:
        p.append(FieldProblem("category", "请从14类帮扶措施中选择", "choose one of the 14 measure categories"))
    if not title.strip():
        p.append(FieldProblem("title", "请填写措施内容", "describe the measure"))
    if not responsible.strip():
        p.append(FieldProblem("responsible", "请填写帮扶责任人", "name the responsible person"))
    if ends is not None and ends < starts:
        p.append(FieldProblem("ends_on", "结束日期不能早于开始日期", "the end date is before the start date"))
    if status not in codes.MEASURE_STATUS:
        p.append(FieldProblem("status", "状态无效", "unknown status"))
    window = date_window(future=True)
    for name, day in (("starts_on", starts), ("ends_on", ends)):
        try:
            if day is not None:
                inputs.date(day, name, window=window)
        except ValidationFailed as exc:
            p += exc.problems
    return p


@transaction.atomic
def measure_set_status(*, actor: User | None, measure: Measure, status: str, note: str = "") -> Measure:
    case = measure.case
    require(actor, Cap.CASE_VILLAGE, case.village_id)
    if status not in codes.MEASURE_STATUS:
        raise invalid("status", "状态无效", f"status must be one of {', '.join(codes.MEASURE_STATUS)}")
    old = measure.status
    measure.status = status
    measure.save(update_fields=["status"])
    record_event(
        case=case,
        actor=actor,
        event="plan",
        from_state=case.state,
        on=timezone.localdate(),
        note=note or f"{measure.title}：{codes.MEASURE_STATUS[old]}→{codes.MEASURE_STATUS[status]}",
        data={"measure": measure.pk, "status": status},
    )
    audit_record(
        actor=actor,
        action="measure_set_status",
        obj=measure,
        area_code=case.village_id,
        data={"from": old, "to": status},
    )
    return measure
