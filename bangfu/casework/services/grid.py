"""Writes of grid work: visits (with 'report a risk'), long absences, grid placement and workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas import services as areas
from bangfu.areas.selectors import grids_visible, require
from bangfu.casework import selectors
from bangfu.casework.domain import codes
from bangfu.casework.domain.grids import plan_placement
from bangfu.casework.domain.visits import MAX_VISIT_AGE_DAYS
from bangfu.casework.models import Absence, Visit
from bangfu.casework.services.cases import case_open
from bangfu.casework.services.common import check_files
from bangfu.core import files as core_files
from bangfu.core.domain import inputs
from bangfu.core.errors import FieldProblem, NotFound, ValidationFailed, invalid
from bangfu.core.inputs import Problems, not_future
from bangfu.core.services import audit_record
from bangfu.registry import services as registry
from bangfu.registry.selectors import households_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.areas.models import Grid
    from bangfu.registry.models import Household


@transaction.atomic
def visit_log(
    *,
    actor: User | None,
    household: Household,
    visited_on: dt.date,
    mode: str,
    checks: Iterable[str] = (),
    note: str = "",
    photo: UploadedFile[bytes] | None = None,
    report_risk: bool = False,
    worker: User | None = None,
) -> Visit:
    """Log a visit; with report_risk the findings become a lead (or are added to the household's case)."""
    require(actor, Cap.LOG_VISITS, household.village_id, grid_id=household.grid_id)
    checks = list(dict.fromkeys(checks))
    problems = _visit_problems(visited_on, mode, checks, note, report_risk, late_allowed=actor is None)
    if problems:
        raise ValidationFailed(problems)
    photos = check_files([photo], "photo", core_files.PHOTO) if photo else []
    visit = Visit.objects.create(
        household=household,
        grid_id=household.grid_id,
        worker=actor or worker,  # system imports name the worker who made the visit
        visited_on=visited_on,
        mode=mode,
        checks=checks,
        note=note.strip(),
        photo=photos[0].upload if photos else "",
    )
    if report_risk:
        found = "、".join(codes.VISIT_CHECKS[c] for c in checks)
        summary = f"网格员走访发现：{found}。{note.strip()}" if found else note.strip()
        visit.lead = case_open(
            actor=actor,
            household=household,
            source="grid",
            source_ref=f"visit:{visit.pk}",
            summary=summary,
            on=visited_on,
        )
        visit.save(update_fields=["lead"])
    audit_record(
        actor=actor,
        action="visit_log",
        obj=visit,
        area_code=household.village_id,
        data={"mode": mode, "checks": checks, "risk": report_risk},
    )
    return visit


def _visit_problems(
    on: dt.date, mode: str, checks: list[str], note: str, report_risk: bool, late_allowed: bool
) -> list[FieldProblem]:
    """late_allowed: system imports (paper logs, the demo) may carry visits older than a month."""
    today = timezone.localdate()
    p = Problems()
    p.check(not_future, on, "visited_on", zh="走访日期", en="visit date", today=today)
    if not p and (today - on).days > MAX_VISIT_AGE_DAYS and not late_allowed:
        p.add(
            "visited_on",
            f"只能补录{MAX_VISIT_AGE_DAYS}天内的走访",
            f"visits can be logged up to {MAX_VISIT_AGE_DAYS} days late",
        )
    if mode not in codes.VISIT_MODES:
        p.add("mode", "请选择入户或电话", "choose in person or by phone")
    unknown = [c for c in checks if c not in codes.VISIT_CHECKS]
    if unknown:
        p.add("checks", "检查项无效", f"unknown check items: {', '.join(unknown)}")
    if report_risk and not (checks or note.strip()):
        p.add("note", "报告风险时请勾选发现的变化或写明情况", "tick what changed or describe the risk")
    if len(note) > 2000:
        p.add("note", "情况记录不超过2000字", "the note is at most 2000 characters")
    return p.items


@transaction.atomic
def absence_mark(*, actor: User | None, household: Household, since: dt.date, note: str = "") -> Absence:
    require(actor, Cap.LOG_VISITS, household.village_id, grid_id=household.grid_id)
    row, _ = Absence.objects.update_or_create(household=household, defaults={"since": since, "note": note})
    audit_record(actor=actor, action="absence_mark", obj=row, area_code=household.village_id)
    return row


@transaction.atomic
def absence_clear(*, actor: User | None, household: Household) -> None:
    require(actor, Cap.LOG_VISITS, household.village_id, grid_id=household.grid_id)
    Absence.objects.filter(household=household).delete()
    audit_record(actor=actor, action="absence_clear", obj=household, area_code=household.village_id)


@transaction.atomic
def grid_place_households(*, actor: User, village_code: str) -> dict[str, int]:
    """Put the village's households without a grid into grids, about `households_per_worker` each.

    Placed households stay where they are (visits stay continuous); new vacant grids are created
    when the village needs more, and a township officer then gives each new grid its worker.
    """
    require(actor, Cap.EDIT_REGISTRY, village_code)
    per_worker = selectors.params_for(village_code, timezone.localdate()).households_per_worker
    annotated = list(
        grids_visible(actor).filter(village__code=village_code).annotate(n=Count("households")).order_by("code")
    )
    qs = households_visible(actor, Cap.EDIT_REGISTRY).filter(
        village__code=village_code, grid__isnull=True, status="正常"
    )
    grids: list[Grid] = list(annotated)
    unplaced = {h.pk: h for h in qs.order_by("number")}
    plan = plan_placement([g.n for g in annotated], list(unplaced), per_worker)
    for _ in range(plan.new_grids):
        n = len(grids) + 1
        grids.append(
            areas.grid_create(village_code=village_code, code=f"{village_code}-{n:02d}", name=f"第{n}网格", actor=actor)
        )
    for hid, index in plan.assignments.items():
        registry.household_update(
            actor=actor, household=unplaced[hid], changes={"grid_id": grids[index].pk}, reason="网格划分"
        )
    result = {"placed": len(plan.assignments), "new_grids": plan.new_grids}
    audit_record(actor=actor, action="grid_place_households", obj=actor, area_code=village_code, data=result)
    return result


@transaction.atomic
def grid_worker_replace(*, actor: User | None, grid: Grid, worker: User | None, reason: str) -> Grid:
    """Hand a grid to another worker (a worker left, or a new grid); the old term is kept as history."""
    require(actor, Cap.EDIT_REGISTRY, grid.village_id)
    if actor is not None and not grids_visible(actor).filter(pk=grid.pk).exists():
        raise NotFound()
    reason = inputs.text(reason, "reason", max_len=200, multiline=True, zh="调整原因", en="reason")
    if not reason:
        raise invalid("reason", "请填写调整原因", "give the reason for the change")
    if worker is not None and not any(
        m.role == Role.GRID_WORKER.value and grid.village_id.startswith(m.area.prefix) for m in memberships_of(worker)
    ):
        raise invalid(
            "worker",
            "此人不是该村的网格员，请先为其授予网格员角色",
            "this person is not a grid worker of the village; grant the role first",
        )
    return areas.grid_assign_worker(grid=grid, worker=worker, actor=actor, reason=reason)
