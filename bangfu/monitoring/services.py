"""Writes of monitoring: department feeds, screening runs, warnings and their lifecycle."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas import selectors as areas
from bangfu.casework import services as casework
from bangfu.core import crypto
from bangfu.core import services as jobs
from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import (
    ApplicationError,
    Conflict,
    FieldProblem,
    Forbidden,
    ValidationFailed,
    refused,
)
from bangfu.core.excel import read_table, require_columns
from bangfu.core.services import audit_record
from bangfu.core.signals import areas_changed
from bangfu.monitoring import engine, selectors
from bangfu.monitoring.domain import lifecycle, recurrence
from bangfu.monitoring.domain.feeds import SINGLE_PATH_LIMIT, SPECS, FeedRecord, FeedSpec, Problem, check_row
from bangfu.monitoring.facts import household_facts
from bangfu.monitoring.models import FeedBatch, FeedRow, ScreeningRun, Warning, WarningEvent
from bangfu.registry import selectors as registry
from bangfu.registry.domain.income import Purpose, income_year
from bangfu.rules import selectors as rules
from bangfu.rules.domain.evaluate import Hit, evaluate
from bangfu.rules.domain.facts import HouseholdFacts
from bangfu.rules.domain.windows import window_for

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.core.models import Job
    from bangfu.registry.models import Household

Progress = Callable[[str], None]
FEED_JOB_KIND = "feed_upload"


# ---------------------------------------------------------------- department feeds


def _department_area(actor: User, spec: FeedSpec) -> str:
    """The area the uploader acts for as a data officer of the feed's department (403 otherwise)."""
    for m in memberships_of(actor):
        if m.role == Role.DEPT_OFFICER and spec.department in m.organisation:
            return str(m.area.code)
    raise Forbidden(
        f"“{spec.zh}”数据须由{spec.department}部门的数据专员报送，您的账号不属于该部门",
        f"'{spec.kind}' data must come from a {spec.department} data officer; your account is not one",
    )


def feed_spec(kind: str) -> FeedSpec:
    if kind not in SPECS:
        raise ApplicationError(zh=f"未知的数据类型：{kind}", en=f"unknown feed type {kind!r}", code="wrong_template")
    return SPECS[kind]


def rows_from_file(kind: str, data: bytes, filename: str, *, actor: User) -> list[dict[str, str]]:
    """CSV or Excel → rows keyed by column title; a file without the template's columns is refused.

    Only a data officer of the feed's department gets the file read (403 before any parsing)."""
    spec = feed_spec(kind)
    _department_area(actor, spec)
    header, body = read_table(data, filename, sheet=spec.zh)
    index = require_columns(header, spec.required)
    for optional in [*spec.optional_amounts, *spec.optional_dates]:
        if optional in header:
            index[optional] = header.index(optional)
    return [{c: (r[i] if i < len(r) else "") for c, i in index.items()} for r in body]


def feed_upload_start(
    *, actor: User, kind: str, data: bytes, filename: str, period: str = ""
) -> tuple[FeedBatch, bool] | Job:
    """A file of up to settings.BANGFU_BACKGROUND_ROWS rows is stored now; a larger one becomes a job
    for `bangfu worker` (the same checks, all rows or none, the same per-row report)."""
    rows = rows_from_file(kind, data, filename, actor=actor)  # checks the department first
    if len(rows) <= settings.BANGFU_BACKGROUND_ROWS:
        return feed_ingest(actor=actor, kind=kind, rows=rows, period=period, filename=filename)
    from bangfu.monitoring.tasks import feed_upload_job  # tasks import this module

    job = jobs.job_create(
        owner=actor,
        kind=FEED_JOB_KIND,
        title=f"数据报送：{SPECS[kind].zh}（{filename}）",
        title_en=f"Department feed ({filename})",
        filename=filename,
        payload=data,
        params={"kind": kind, "period": period},
    )
    transaction.on_commit(lambda: feed_upload_job.enqueue(str(job.pk)))
    return job


def _check_all(spec: FeedSpec, rows: list[dict[str, str]], today: dt.date) -> tuple[list[FeedRecord], list[Problem]]:
    records, problems = [], []
    for n, cells in enumerate(rows, start=2):  # row 1 is the header
        out = check_row(spec, n, {k: str(v if v is not None else "") for k, v in cells.items()}, today)
        if isinstance(out, list):
            problems += out
        else:
            records.append(out)
    return records, problems


def _match(records: list[FeedRecord], area_code: str) -> tuple[dict[int, tuple[int, int]], list[Problem]]:
    """Row → (member, household) by ID-number hash, only within the department's area."""
    hashes = {r.row: crypto.lookup_hash(r.id_number) for r in records}
    found = registry.member_ids_by_hash(list(set(hashes.values())))
    villages = registry.villages_of(h for _, h in found.values())
    matched, problems = {}, []
    for r in records:
        hit = found.get(hashes[r.row])
        if hit is None or not villages.get(hit[1], "").startswith(rules.area_prefix(area_code)):
            problems.append(
                Problem(
                    r.row,
                    "身份证号",
                    "系统中没有此身份证号对应的人员（或不在本辖区），请核对号码",
                    "no registered person has this ID number in your area; check the number",
                )
            )
        else:
            matched[r.row] = hit
    return matched, problems


def _content_hash(kind: str, records: list[FeedRecord]) -> str:
    canon = [
        [crypto.lookup_hash(r.id_number), r.event_date.isoformat(), str(r.amount), r.event, list(r.data)]
        for r in records
    ]
    return hashlib.sha256(json.dumps([kind, canon], ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def feed_ingest(
    *, actor: User, kind: str, rows: list[dict[str, str]], period: str = "", source: str = "file", filename: str = ""
) -> tuple[FeedBatch, bool]:
    """Check, match and store a whole batch, or store nothing and report every bad row.

    Returns (batch, created). The same content sent again returns the stored batch unchanged.
    """
    spec = feed_spec(kind)
    area_code = _department_area(actor, spec)
    if not rows:
        raise ApplicationError(zh="没有数据行", en="The batch has no rows", code="empty")
    records, problems = _check_all(spec, rows, timezone.localdate())
    matched, unmatched = _match(records, area_code)
    problems += unmatched
    if problems:
        problems.sort(key=lambda p: p.row)
        raise ValidationFailed(
            [FieldProblem(p.column, p.zh, p.en, row=p.row) for p in problems],
            zh=f"有 {len({p.row for p in problems})} 行数据有误，整批未保存，请修改后重新报送",
            en="Some rows are wrong; nothing was stored. Correct them and send the batch again",
        )
    digest = _content_hash(kind, records)
    existing = FeedBatch.objects.filter(kind=kind, area_id=area_code, content_hash=digest).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: an identical batch sent at the same moment may win the race
            batch = FeedBatch.objects.create(
                kind=kind,
                department=spec.department,
                area_id=area_code,
                source=source,
                period=period or _period(records),
                filename=filename[:200],
                content_hash=digest,
                rows=len(records),
                uploaded_by=actor,
            )
    except IntegrityError:
        existing = FeedBatch.objects.filter(kind=kind, area_id=area_code, content_hash=digest).first()
        if existing is None:
            raise
        return existing, False
    FeedRow.objects.bulk_create(
        [
            FeedRow(
                batch=batch,
                kind=kind,
                member_id=matched[r.row][0],
                household_id=matched[r.row][1],
                event_date=r.event_date,
                amount=r.amount,
                event=r.event,
                row_no=r.row,
                data=dict(r.data),
            )
            for r in records
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor, action="feed_ingest", obj=batch, area_code=area_code, data={"kind": kind, "rows": len(records)}
    )
    _rescreen({matched[r.row][1] for r in records})
    return batch, True


def _period(records: list[FeedRecord]) -> str:
    first, last = min(r.event_date for r in records), max(r.event_date for r in records)
    return f"{first:%Y-%m}" if (first.year, first.month) == (last.year, last.month) else f"{first:%Y-%m}~{last:%Y-%m}"


def _rescreen(household_ids: set[int]) -> None:
    """A small batch is screened now, household by household, in the same transaction (its warnings
    are there when the upload page reloads); a large one goes to the worker to be screened set-wise."""
    today = timezone.localdate()
    if len(household_ids) <= SINGLE_PATH_LIMIT:
        for hid in sorted(household_ids):
            screen_household(household_id=hid, as_of=today)
        return
    from bangfu.monitoring.tasks import screen_households  # tasks import this module

    ids = sorted(household_ids)
    transaction.on_commit(lambda: screen_households.enqueue(ids))


# ---------------------------------------------------------------- screening


def in_force(village_codes: Iterable[str], as_of: dt.date) -> dict[str, engine.InForce]:
    """village → rule set in force with its definition and the line of the income year."""
    villages = list(village_codes)
    sets = rules.rulesets_in_force(villages, as_of)
    lines = rules.lines_for(villages, income_year(Purpose.SCREENING, as_of))
    defs = {rs.pk: rules.definition_of(rs) for rs in {rs.pk: rs for rs in sets.values()}.values()}
    return {v: engine.InForce(rs.pk, rs.version, defs[rs.pk], lines.get(v)) for v, rs in sets.items()}


def _villages(sel: engine.Selection) -> list[str]:
    return registry.villages_with_households(sel.prefixes, sel.household_ids)


def screen(
    *,
    area_code: str,
    as_of: dt.date,
    trigger: str = "cli",
    actor: User | None = None,
    household_ids: tuple[int, ...] | None = None,
    progress: Progress | None = None,
) -> ScreeningRun:
    """Screen every household under `area_code` ('' = all) set-wise and open the new warnings.

    Reading and evaluating write nothing, so they run before the write transaction: called on its
    own (command, nightly task) the reads go side by side over Arrow connections of their own
    (`sources.read_many`); called inside a transaction they see its uncommitted rows. The run and
    its new warnings are then written together or not at all.
    """
    say = progress or (lambda _msg: None)
    areas.require(actor, Cap.CONFIGURE, area_code or "x")  # '' (everything) only for the system
    started, t0 = timezone.now(), time.perf_counter()
    sel = engine.Selection(prefixes=(rules.area_prefix(area_code) if area_code else "",), household_ids=household_ids)
    forces = in_force(_villages(sel), as_of)
    say(f"规则已确定 rules resolved for {len(forces)} villages")
    data = engine.load(
        sel,
        as_of,
        {f.definition.window for f in forces.values()} or {"rolling_12m"},
        facts=engine.facts_used(f.definition for f in forces.values()),
        active=True,
    )
    active, decided, households = data.pop("active"), data.pop("decided"), data["hh"].num_rows
    say(
        f"已读取 read {households} households, {data.get('fr', data['hh']).num_rows} feed rows "
        f"({time.perf_counter() - t0:.2f}s)"
    )
    hits = engine.compute_hits(data, as_of, forces) if forces else engine.NEW_SCHEMA.empty_table()
    say(f"已评估 evaluated: {hits.num_rows} rule hits ({time.perf_counter() - t0:.2f}s)")
    # The new warnings are built rule by rule inside the write: each goes to the database while the
    # next one's facts are made.
    fresh = engine.new_warning_parts(hits, active, forces, decided, as_of)
    run = _record_run(
        ScreeningRun(
            area_code=area_code,
            as_of=as_of,
            trigger=trigger,
            started=started,
            households=households,
            hits=hits.num_rows,
            started_by=actor,
        ),
        fresh,
        t0,
    )
    say(f"已写入 wrote {run.new_warnings} new warnings ({run.seconds:.2f}s)")
    return run


@transaction.atomic
def _record_run(run: ScreeningRun, fresh: Any, t0: float) -> ScreeningRun:
    run.save()
    written = engine.insert_warnings(fresh, run.pk, run.as_of, timezone.now())
    run.new_warnings = written.num_rows
    if run.new_warnings:  # written by COPY or INSERT … SELECT: no audit event names their villages
        areas_changed.send(sender=Warning, codes=engine.distinct_villages(written))
    run.finished, run.seconds = timezone.now(), time.perf_counter() - t0
    run.save(update_fields=["new_warnings", "finished", "seconds"])
    return run


def _warning(
    hit: Hit,
    rule_name: str,
    risk: str,
    f: engine.InForce,
    village: str,
    grid_id: int | None,
    run: ScreeningRun | None,
    now: dt.datetime,
) -> Warning:
    return Warning(
        household_id=hit.household_id,
        village_code=village,
        grid_id=grid_id,
        rule_code=hit.rule_code,
        rule_name=rule_name,
        risk=risk,
        ruleset_id=f.ruleset_id,
        ruleset_version=f.version,
        facts=dict(hit.facts),
        thresholds=dict(hit.thresholds),
        run=run,
        as_of=run.as_of if run else now.date(),
        created=now,
    )


def single_hits(
    household_id: int, as_of: dt.date, facts_out: list[HouseholdFacts] | None = None
) -> tuple[list[Hit], engine.InForce | None]:
    """The single-household path: facts by ORM, rules by the pure domain evaluator (the facts read
    are appended to `facts_out` when given)."""
    h = registry.household_brief(household_id)
    f = in_force([h.village_id], as_of).get(h.village_id)
    if f is None or h.status != "正常":
        return [], f
    facts = household_facts(household_id, as_of, f.definition.window, f.line)
    if facts_out is not None:
        facts_out.append(facts)
    return evaluate(f.definition, facts), f


@transaction.atomic
def screen_household(*, household_id: int, as_of: dt.date, actor: User | None = None) -> list[Warning]:
    """Re-screen one household (after its record or a feed row about it changed); returns new warnings."""
    h = registry.household_brief(household_id)
    areas.require(actor, Cap.HANDLE_WARNINGS, h.village_id)
    h_facts: list[HouseholdFacts] = []
    hits, f = single_hits(household_id, as_of, h_facts)
    if f is None or not hits:
        return []
    facts = h_facts[0]
    active = set(
        Warning.objects.filter(household_id=household_id, status__in=lifecycle.ACTIVE).values_list(
            "rule_code", flat=True
        )
    )
    names = {r.code: r for r in f.definition.rules}
    now = timezone.now()
    decided = _decided_of(household_id)
    recheck = recurrence.recheck_days(f.definition.params)
    created = []
    for hit in hits:
        if hit.rule_code in active:
            continue
        rule = names[hit.rule_code]
        source = _source_of(household_id, rule, facts, f.definition.window, as_of)
        if recurrence.why_back(source, decided.get(rule.code), as_of, recheck) is None:
            continue  # decided on this same source: the decision stands (why it came back is said on read)
        w = _warning(hit, rule.zh, rule.risk, f, h.village_id, h.grid_id, None, now)
        w.source_row, w.source_amount, w.source_year = source.row, source.amount, source.year
        w.previous_id = decided[rule.code].id if rule.code in decided else None
        created.append(w)
    for w in created:
        w.as_of = as_of
        w.save()
        audit_record(actor=actor, action="warning_open", obj=w, area_code=h.village_id, data={"rule": w.rule_code})
    return created


def _decided_of(household_id: int) -> dict[str, recurrence.Decided]:
    """rule → the household's latest decided warning of that rule, with the source it was decided on."""
    out: dict[str, recurrence.Decided] = {}
    rows = Warning.objects.filter(household_id=household_id, status__in=lifecycle.DECIDED).order_by("pk")
    for w in rows:
        out[w.rule_code] = w.decided()
    return out


def _source_of(household_id: int, rule: Any, facts: HouseholdFacts, window: str, as_of: dt.date) -> recurrence.Source:
    """The source of one hit's facts, read with the ORM (the batch computes it in SQL)."""
    w = window_for(window, as_of)
    kinds = recurrence.feed_kinds(rule)
    newest = 0
    if kinds:
        newest = (
            FeedRow.objects.filter(
                household_id=household_id, kind__in=kinds, event_date__gte=w.start, event_date__lte=as_of
            ).aggregate(m=Max("id"))["m"]
            or 0
        )
    amount = sum(int((facts.get(m) or 0) * 100) for m in recurrence.money_facts(rule))
    return recurrence.Source(newest, amount, w.income_year if recurrence.reads_income(rule) else None)


def rescreen(*, household_ids: list[int], as_of: dt.date) -> int:
    """Re-screen changed households: one by one when few, set-wise when many. Returns new warnings."""
    if len(household_ids) > 50:
        return screen(area_code="", as_of=as_of, trigger="feed", household_ids=tuple(household_ids)).new_warnings
    return sum(len(screen_household(household_id=h, as_of=as_of)) for h in household_ids)


# ---------------------------------------------------------------- warning lifecycle


@transaction.atomic
def warning_transition(*, actor: User, warning: Warning, event: str, reason: str = "") -> Warning:
    """Move a warning along the lifecycle table; the event row records who, when and why."""
    w = Warning.objects.select_for_update().get(pk=warning.pk)
    who = selectors.caps_over(actor, w)
    worker = selectors.grid_worker_of(actor, w)
    try:
        t = lifecycle.TABLE.decide(w.status, event, who, lifecycle.Facts(worker is not None), reason)
    except StepRefused as exc:
        if exc.code == "out_of_order" and lifecycle.already_past(w.status, event):
            raise _already_decided(w) from None
        raise refused(exc) from None
    previous, w.status = w.status, t.target
    if w.status in lifecycle.DECIDED:
        w.decided_on = timezone.localdate()  # the re-check period counts from here (domain.recurrence)
    if lifecycle.G_GRID_WORKER in t.guards:
        w.assigned_to = worker
    if t.event == "verify" and w.assigned_to_id is None:
        w.assigned_to = actor  # the grid worker verified it without an assignment
    if t.event == "escalate":
        w.case_ref = _open_case(actor, w, reason)
    w.save()
    WarningEvent.objects.create(
        warning=w, event=event, from_state=previous, to_state=w.status, actor=actor, note=reason
    )
    audit_record(actor=actor, action=f"warning_{event}", obj=w, area_code=w.village_code, reason=reason)
    return w


def _already_decided(w: Warning) -> Conflict:
    """The warning was verified or decided meanwhile (by whom and when), e.g. while a phone was offline."""
    last = WarningEvent.objects.filter(warning=w).select_related("actor").order_by("-at", "-pk").first()
    label = lifecycle.STATE_LABELS[w.status]
    who = f"{last.actor}于{timezone.localtime(last.at):%m月%d日}" if last and last.actor else ""
    when = f" on {timezone.localtime(last.at).date().isoformat()}" if last else ""
    return Conflict(
        f"该预警已由{who}{label}，无需再办理" if who else f"该预警已{label}，无需再办理",
        f"This warning was already {lifecycle.STATE_LABELS_EN[w.status]}{when}; nothing more to do",
        code="already_decided",
    )


def _open_case(actor: User, w: Warning, reason: str) -> str:
    """Escalation brings the household into the identification procedure as a lead (or adds the
    warning to the household's live case); casework decides the rest. Same transaction: both or neither."""
    household = registry.household_get(actor, w.household_id)
    case = casework.case_open(
        actor=actor,
        household=household,
        source="warning",
        source_ref=f"warning:{w.pk}",
        summary=f"{w.explanation}（{reason}）" if reason else w.explanation,
        on=timezone.localdate(),
    )
    return f"case:{case.pk}"


# ---------------------------------------------------------------- rule editor preview


def ruleset_preview(*, actor: User, ruleset: Any, as_of: dt.date) -> dict[str, Any]:
    """What publishing `ruleset` would change today: flagged households per township, added and removed.

    Read-only: both versions are evaluated set-wise on the area's households and nothing is written.
    """
    areas.require(actor, Cap.CONFIGURE, ruleset.area_id)
    prefix = rules.area_prefix(ruleset.area_id)
    sel = engine.Selection(prefixes=(prefix,))
    current = in_force(_villages(sel), as_of)
    draft_def = rules.definition_of(ruleset)
    lines = rules.lines_for(list(current) or _villages(sel), income_year(Purpose.SCREENING, as_of))
    proposed = {v: engine.InForce(ruleset.pk, ruleset.version, draft_def, lines.get(v)) for v in _villages(sel)}
    data = engine.load(sel, as_of, {f.definition.window for f in current.values()} | {draft_def.window})
    before = _flagged(engine.compute_hits(data, as_of, current)) if current else {}
    after = _flagged(engine.compute_hits(data, as_of, proposed))
    return _diff_by_township(before, after)


def _flagged(hits: Any) -> dict[int, str]:
    return {r["household_id"]: r["village"] for r in hits.select(["household_id", "village"]).to_pylist()}


def _diff_by_township(before: dict[int, str], after: dict[int, str]) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    for hid, village in {**before, **after}.items():
        code = village[:9].ljust(12, "0")
        row = rows.setdefault(code, {"code": code, "before": 0, "after": 0, "added": [], "removed": []})
        row["before"] += hid in before
        row["after"] += hid in after
        if hid in after and hid not in before:
            row["added"].append(hid)
        if hid in before and hid not in after:
            row["removed"].append(hid)
    for code, row in rows.items():
        area = areas.area_by_code(code)
        row["name"] = area.name if area else code
    ordered = sorted(rows.values(), key=lambda r: r["code"])
    return {
        "townships": ordered,
        "before": len(before),
        "after": len(after),
        "added": sum(len(r["added"]) for r in ordered),
        "removed": sum(len(r["removed"]) for r in ordered),
    }


def follow_household_move(*, household: Household, **_: Any) -> None:
    """registry.household_moved: the warnings' scoping copies follow the household (in the move's transaction)."""
    Warning.objects.filter(household_id=household.pk).update(
        village_code=household.village_id, grid_id=household.grid_id
    )
