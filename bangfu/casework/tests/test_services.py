"""The procedure on the database: every step, roles, scoping, deadlines, notices, plans, elimination."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from bangfu.casework import selectors, services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseEvent, Measure, Objection, PublicNotice
from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.registry import services as registry
from bangfu.rules import services as rules

pytestmark = pytest.mark.django_db
VOTE = {"vote_result": "passed", "present": 12, "votes_for": 11, "votes_against": 1}


TODAY = timezone.localdate()
BASE = TODAY - dt.timedelta(days=330)  # far enough back for six months of monitoring


def day(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


def open_case(world, on: dt.date = BASE) -> Case:
    return services.case_open(
        actor=world.gw1,
        household=world.households["h1"],
        source="grid",
        summary="长子患病住院，自付费用高",
        on=on,
    )


def run_to(world, case: Case, target: State) -> Case:
    """Drive a case through the identification steps, each by its own role, until `target`."""
    steps: list[tuple[State, Any, str, dict[str, Any], str]] = [
        (State.LEAD, world.t1, "accept", {}, ""),
        (
            State.ACCEPTED,
            world.v1,
            "verify",
            {"consent_signed_on": day(2).isoformat(), "survey": "入户核实：住院自付3万元"},
            "",
        ),
        (
            State.HOME_VERIFIED,
            world.t1,
            "compare",
            {"vehicle": "无", "property": "无", "business": "无", "payroll": "无"},
            "",
        ),
        (
            State.DATA_COMPARED,
            world.v1,
            "deliberate",
            {"minutes": "同意纳入", "attendees": "村两委5人、村民代表7人", **VOTE},
            "",
        ),
        (State.VILLAGE_DELIBERATED, world.v1, "publish", {}, ""),
        (State.PUBLICIZED, world.t1, "township_review", {}, ""),
        (
            State.TOWNSHIP_REVIEWED,
            world.county,
            "approve",
            {"monitoring_type": "突发严重困难户", "risk_codes": ["因病"]},
            "",
        ),
        (State.COUNTY_APPROVED, world.t1, "announce", {}, ""),
    ]
    n = 1
    for state, actor, event, data, note in steps:
        if State(case.state) == target:
            break
        assert State(case.state) == state
        n += 2 if event != "township_review" else 8  # the notice runs 5 days
        case = services.case_step(actor=actor, case=case, event=event, on=day(n), data=data, note=note)
    return case


def test_identification_runs_through_every_step_and_records_events(world, params) -> None:
    case = run_to(world, open_case(world), State.MONITORED)
    assert case.state == State.MONITORED and case.due_on is None
    h = world.households["h1"]
    h.refresh_from_db()
    assert (
        h.monitoring_type == "突发严重困难户"
        and h.risk_codes == ["因病"]
        and h.monitoring_since == case.events.get(event="approve").on
    )
    events = list(CaseEvent.objects.filter(case=case).values_list("event", "actor__username"))
    assert events == [
        ("open", "gw1"),
        ("accept", "t1"),
        ("verify", "v1"),
        ("compare", "t1"),
        ("deliberate", "v1"),
        ("publish", "v1"),
        ("township_review", "t1"),
        ("approve", "county"),
        ("announce", "t1"),
    ]
    notice = PublicNotice.objects.get(case=case)
    assert (notice.ends_on - notice.starts_on).days == 4 and "****" in notice.body


def test_a_role_cannot_take_a_step_that_is_not_its_own(world, params) -> None:
    case = open_case(world)
    for actor in (world.v1, world.gw1):  # the village and the grid worker cannot accept for the township
        with pytest.raises(Forbidden):
            services.case_step(actor=actor, case=case, event="accept", on=day(1))
    case = run_to(world, case, State.TOWNSHIP_REVIEWED)
    with pytest.raises(Forbidden):  # only the county approves
        services.case_step(
            actor=world.t1,
            case=case,
            event="approve",
            on=day(30),
            data={"monitoring_type": "突发严重困难户", "risk_codes": ["因病"]},
        )
    case.refresh_from_db()
    assert case.state == State.TOWNSHIP_REVIEWED


@pytest.mark.parametrize("who", ["t2", "gw2"])
def test_outsiders_get_not_found_and_change_nothing(world, params, who) -> None:
    case = open_case(world)
    with pytest.raises(NotFound):
        services.case_step(actor=getattr(world, who), case=case, event="accept", on=day(1))
    with pytest.raises(NotFound):
        selectors.case_get(getattr(world, who), case.pk)
    case.refresh_from_db()
    assert case.state == State.LEAD and case.events.count() == 1


def test_guards_say_what_is_missing_and_nothing_is_written(world, params) -> None:
    case = run_to(world, open_case(world), State.ACCEPTED)
    with pytest.raises(ValidationFailed) as failed:
        services.case_step(actor=world.v1, case=case, event="verify", on=day(4), data={"survey": "已核实"})
    assert [p.field for p in failed.value.problems] == ["consent"] and "承诺授权书" in failed.value.zh
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.survey == "" and case.events.count() == 2


def test_objection_during_the_notice_reopens_verification(world, params) -> None:
    case = run_to(world, open_case(world), State.PUBLICIZED)
    notice = PublicNotice.objects.get(case=case)
    with pytest.raises(ValidationFailed):  # the township may not review before the notice ends
        services.case_step(actor=world.t1, case=case, event="township_review", on=notice.ends_on)
    case = services.case_step(
        actor=world.v1,
        case=case,
        event="object",
        on=notice.starts_on + dt.timedelta(days=2),
        note="村民反映该户有营运车辆",
    )
    assert case.state == State.ACCEPTED and case.survey == "" and case.minutes == ""
    notice.refresh_from_db()
    assert notice.withdrawn and Objection.objects.get(notice=notice).content == "村民反映该户有营运车辆"
    with pytest.raises(ValidationFailed):  # verification must be redone before it can go on
        services.case_step(actor=world.v1, case=case, event="verify", on=day(20))


def test_objection_after_the_notice_ended_is_refused(world, params) -> None:
    case = run_to(world, open_case(world), State.PUBLICIZED)
    notice = PublicNotice.objects.get(case=case)
    with pytest.raises(ValidationFailed) as failed:
        services.case_step(
            actor=world.v1,
            case=case,
            event="object",
            on=notice.ends_on + dt.timedelta(days=1),
            note="逾期异议",
        )
    assert failed.value.problems[0].field == "notice_open"


def test_county_may_reject_with_a_reason_only(world, params) -> None:
    case = run_to(world, open_case(world), State.TOWNSHIP_REVIEWED)
    with pytest.raises(ValidationFailed):
        services.case_step(actor=world.county, case=case, event="reject", on=day(30))
    case = services.case_step(actor=world.county, case=case, event="reject", on=day(30), note="比对发现有商品房")
    assert case.state == State.REJECTED and case.due_on is None
    assert world.households["h1"].monitoring_type == ""


def test_approval_needs_type_and_one_to_five_risk_codes(world, params) -> None:
    case = run_to(world, open_case(world), State.TOWNSHIP_REVIEWED)
    for data in (
        {"monitoring_type": "突发严重困难户", "risk_codes": []},
        {
            "monitoring_type": "突发严重困难户",
            "risk_codes": ["因病", "因残", "因学", "因灾", "缺资金", "其他"],
        },
        {"monitoring_type": "贫困户", "risk_codes": ["因病"]},
    ):
        with pytest.raises(ValidationFailed):
            services.case_step(actor=world.county, case=case, event="approve", on=day(30), data=data)


def test_deadline_of_acceptance_is_two_working_days_with_holidays(world, params) -> None:
    friday = TODAY - dt.timedelta(days=(TODAY.weekday() - 4) % 7 + 7)
    services.calendar_day_set(actor=None, date=friday + dt.timedelta(days=3), name="调休放假")
    case = open_case(world, on=friday)
    assert case.due_on == friday + dt.timedelta(days=5)  # Tuesday and Wednesday; Monday is a holiday
    assert [c.pk for c in selectors.case_page(world.t1, selectors.CaseFilter(overdue=True), TODAY).object_list] == [
        case.pk
    ]
    assert selectors.overdue_by_township(world.county, TODAY) == [
        {"code": world.area_t1.code, "name": "雪口山乡", "overdue": 1}
    ]
    assert selectors.overdue_by_township(world.t2, TODAY) == []


def test_same_source_ref_twice_opens_one_case_and_new_reports_join_the_live_case(world, params) -> None:
    h = world.households["h1"]
    a = services.case_open(actor=None, household=h, source="warning", source_ref="warning:7", summary="医疗费用预警")
    b = services.case_open(actor=None, household=h, source="warning", source_ref="warning:7", summary="医疗费用预警")
    c = services.case_open(actor=None, household=h, source="warning", source_ref="warning:8", summary="教育费用预警")
    assert a.pk == b.pk == c.pk and Case.objects.count() == 1
    assert list(a.events.values_list("event", flat=True)) == ["open", "report"]


def _monitored(world) -> Case:
    case = run_to(world, open_case(world), State.MONITORED)
    h = world.households["h1"]
    registry.income_record(household_id=h.pk, year=TODAY.year - 1, item="wage.local", amount="30000", source="manual")
    registry.guarantee_check_record(
        actor=None,
        household=h,
        checked_on=TODAY,
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
    )
    return case


def test_elimination_reads_the_last_complete_year_not_this_years_partial_statement(world, params) -> None:
    """颜世龙: last year 26,800 yuan for four people (6,700 each) is his income; this year's statement
    holds only the 8,120 insurance payout so far (2,030 each) and must not refuse the elimination."""
    from bangfu.testing import new_household

    h = new_household(world.v1a, world.g1, members=4)
    case = run_to(
        world, services.case_open(actor=world.gw1, household=h, source="grid", summary="学费", on=BASE), State.MONITORED
    )
    last = TODAY.year - 1
    for item, amount in (
        ("wage.welfare_post", "5800"),
        ("business.crops", "24000"),
        ("cost.business", "9600"),
        ("business.livestock", "9000"),
        ("cost.business", "3000"),
        ("property.dividend", "600"),
    ):
        registry.income_record(
            household_id=h.pk, year=last, item=item, amount=amount, source="manual", source_ref=f"t:{item}:{amount}"
        )
    registry.income_record(
        household_id=h.pk,
        year=TODAY.year,
        item="transfer.insurance_claim",
        amount="8120",
        source="insurance",
        source_ref="claim:1",
    )
    assert h.statements.get(year=last).per_capita == Decimal("6700.00")
    assert h.statements.get(year=TODAY.year).per_capita == Decimal("2030.00")
    registry.guarantee_check_record(
        actor=None,
        household=h,
        checked_on=TODAY,
        housing_safe=True,
        schooling_ok=True,
        medical_ok=True,
        water_safe=True,
    )
    m = services.measure_add(
        actor=world.v1,
        case=case,
        category="other_education",
        title="防贫保险理赔",
        responsible="周景财",
        starts_on=day(40),
    )
    services.measure_set_status(actor=world.v1, measure=m, status="done")
    case = services.case_step(
        actor=world.v1, case=case, event="propose_elimination", on=TODAY, data={"rigid_expenditure_resolved": "1"}
    )
    assert case.state == State.ELIM_PROPOSED


def test_elimination_refusal_names_the_year_and_income_it_read(world, params) -> None:
    case = _monitored(world)
    h = world.households["h1"]
    registry.income_record(
        household_id=h.pk, year=TODAY.year - 1, item="wage.local", amount="9000", source="manual"
    )  # a second line: 39,000 / 3 = 13,000
    rules.monitoring_line_set(
        actor=None, area_code=world.province.code, year=TODAY.year - 1, amount=Decimal("15000.00")
    )
    services.measure_set_status(
        actor=world.v1,
        measure=services.measure_add(
            actor=world.v1, case=case, category="health", title="救助", responsible="王", starts_on=day(40)
        ),
        status="done",
    )
    with pytest.raises(ValidationFailed) as failed:
        services.case_step(
            actor=world.v1, case=case, event="propose_elimination", on=TODAY, data={"rigid_expenditure_resolved": "1"}
        )
    assert f"{TODAY.year - 1}年家庭人均纯收入(13,000.00元)须高于监测范围15,000.00元" in failed.value.zh
    assert "13,000.00 yuan" in failed.value.en


def test_plan_measures_from_the_14_categories(world, params) -> None:
    case = _monitored(world)
    with pytest.raises(ValidationFailed) as failed:
        services.measure_add(
            actor=world.v1,
            case=case,
            category="lottery",
            title="",
            responsible="",
            starts_on=TODAY,
            ends_on=TODAY - dt.timedelta(days=1),
            amount="-5",
        )
    assert {p.field for p in failed.value.problems} == {
        "category",
        "title",
        "responsible",
        "ends_on",
        "amount",
    }
    m = services.measure_add(
        actor=world.v1,
        case=case,
        category="health",
        title="大病医疗救助",
        responsible="王主任",
        starts_on=TODAY,
        amount="12000.5",
    )
    assert m.amount == Decimal("12000.50") and m.status == "planned"
    with pytest.raises(NotFound):
        services.measure_add(actor=world.t2, case=case, category="health", title="x", responsible="y", starts_on=TODAY)
    assert Measure.objects.count() == 1


def test_elimination_guards_then_procedure_then_reopen(world, params) -> None:
    case = _monitored(world)
    with pytest.raises(ValidationFailed) as failed:
        services.case_step(
            actor=world.v1,
            case=case,
            event="propose_elimination",
            on=TODAY,
            data={"rigid_expenditure_resolved": "1"},
        )
    assert "已落实帮扶措施0项" in failed.value.zh
    m = services.measure_add(
        actor=world.v1,
        case=case,
        category="health",
        title="大病医疗救助",
        responsible="王主任",
        starts_on=day(40),
    )
    services.measure_set_status(actor=world.v1, measure=m, status="done")
    case = services.case_step(
        actor=world.v1,
        case=case,
        event="propose_elimination",
        on=TODAY,
        data={"rigid_expenditure_resolved": "1"},
    )
    assert case.state == State.ELIM_PROPOSED
    case = services.case_step(actor=world.v1, case=case, event="verify", on=TODAY, data={"survey": "收入稳定"})
    case = services.case_step(
        actor=world.v1,
        case=case,
        event="deliberate",
        on=TODAY,
        data={"minutes": "同意消除", "attendees": "村两委5人", **VOTE},
    )
    case = services.case_step(actor=world.v1, case=case, event="publish", on=TODAY)
    assert case.state == State.ELIM_PUBLICIZED
    # the review waits for the notice period: move the notice into the past as if five days had gone by
    PublicNotice.objects.filter(case=case, kind="eliminate").update(
        starts_on=TODAY - dt.timedelta(days=6), ends_on=TODAY - dt.timedelta(days=2)
    )
    Case.objects.filter(pk=case.pk).update(state_since=TODAY - dt.timedelta(days=6))
    case = services.case_step(actor=world.t1, case=case, event="township_review", on=TODAY)
    case = services.case_step(actor=world.county, case=case, event="approve", on=TODAY)
    h = world.households["h1"]
    h.refresh_from_db()
    assert case.state == State.RISK_ELIMINATED and h.risk_eliminated_on == TODAY and h.monitoring_type
    case = services.case_step(actor=world.t1, case=case, event="reopen", on=TODAY, note="再次住院")
    h.refresh_from_db()
    assert case.state == State.MONITORED and h.risk_eliminated_on is None


def test_concurrent_looking_double_approval_is_refused_the_second_time(world, params) -> None:
    case = run_to(world, open_case(world), State.TOWNSHIP_REVIEWED)
    stale = Case.objects.get(pk=case.pk)
    data = {"monitoring_type": "边缘易致贫户", "risk_codes": ["因病"]}
    services.case_step(actor=world.county, case=case, event="approve", on=day(30), data=data)
    with pytest.raises(Conflict):
        services.case_step(actor=world.county, case=stale, event="approve", on=day(30), data=data)
    assert case.events.filter(event="approve").count() == 1


def test_grid_placement_balances_and_worker_replacement_keeps_history(world, params) -> None:
    from bangfu.areas.selectors import grids_visible
    from bangfu.testing import new_household

    services.params_set(
        actor=None,
        area_code=world.v1b.code,
        effective_from=dt.date(2020, 1, 1),
        values=services.ParamValues(households_per_worker=3),
    )
    for _ in range(7):
        new_household(world.v1b)
    with pytest.raises(NotFound):
        services.grid_place_households(actor=world.t2, village_code=world.v1b.code)
    assert services.grid_place_households(actor=world.t1, village_code=world.v1b.code) == {"placed": 7, "new_grids": 3}
    sizes = sorted(g.households.count() for g in grids_visible(world.t1).filter(village__code=world.v1b.code))
    assert sizes == [2, 2, 3]
    with pytest.raises(ValidationFailed):  # gw3 is a grid worker of another township's village
        services.grid_worker_replace(actor=world.t1, grid=world.g1, worker=world.gw3, reason="调整")
    services.grid_worker_replace(actor=world.t1, grid=world.g1, worker=world.gw2, reason="周某外出务工")
    world.g1.refresh_from_db()
    terms = list(world.g1.terms.order_by("pk").values_list("worker__username", "end"))
    assert world.g1.worker_id == world.gw2.pk and terms[0][0] == "gw1" and terms[0][1] is not None
    assert terms[1] == ("gw2", None)


def test_visit_obligations_and_absence_drive_what_is_due(world, params) -> None:
    h1 = world.households["h1"]
    services.absence_mark(actor=world.gw1, household=h1, since=TODAY - dt.timedelta(days=100))
    due = selectors.my_households(world.gw1, TODAY)
    assert due[0].standing is not None and due[0].standing.category == "absent" and due[0].standing.required == 1
    services.visit_log(actor=world.gw1, household=h1, visited_on=TODAY, mode="phone")
    assert selectors.my_households(world.gw1, TODAY)[0].standing.met  # type: ignore[union-attr]
    services.absence_clear(actor=world.gw1, household=h1)
    standing = selectors.my_households(world.gw1, TODAY)[0].standing
    assert standing is not None and standing.category == "ordinary" and not standing.met  # phone is no home visit
    with pytest.raises(ValidationFailed):
        services.visit_log(actor=world.gw1, household=h1, visited_on=TODAY - dt.timedelta(days=40), mode="in_person")


def test_database_refuses_a_second_live_case_for_a_household(world, params) -> None:
    """uniq_live_case: even a writer that skips case_open's check cannot store two live cases."""
    from django.db import IntegrityError, transaction

    first = open_case(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            village_id=first.village_id,
            household=first.household,
            source="grid",
            summary="x",
            state=State.LEAD.value,
            state_since=BASE,
            opened_on=BASE,
        )
    Case.objects.filter(pk=first.pk).update(state=State.REJECTED.value)
    again = services.case_open(actor=world.gw1, household=first.household, source="grid", summary="再次报告")
    assert again.pk != first.pk  # a rejected case is history: a new one may open


def test_linking_a_lead_to_a_household_with_a_live_case_is_a_clear_conflict(world, params) -> None:
    live = open_case(world)
    lead = services.case_open(
        actor=world.t1, household=None, village_code=world.v1a.code, source="hotline", summary="电话反映"
    )
    with pytest.raises(Conflict) as err:
        services.case_step(actor=world.t1, case=lead, event="accept", data={"household_id": live.household_id})
    assert err.value.code == "live_case_exists" and f"#{live.pk}" in err.value.zh
    assert Case.objects.get(pk=lead.pk).household_id is None
