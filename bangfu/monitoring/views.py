"""Pages of monitoring: warnings per role, one warning with its lifecycle, department feed deliveries."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.core import params
from bangfu.core.answers import done
from bangfu.core.i18n import in_language
from bangfu.core.idempotency import idempotent
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import XLSX, form_post, uploaded
from bangfu.monitoring import exports, selectors, services
from bangfu.monitoring.display import fact_rows
from bangfu.monitoring.domain.lifecycle import IRREVERSIBLE, STATE_LABELS, STATE_LABELS_EN
from bangfu.monitoring.templates_xlsx import template_bytes

STATUS_ACTIVE = "active"


def _warning_listing(request: AuthedHttpRequest) -> tuple[Listing, selectors.WarningFilter]:
    """The list's query, read once for the page and its export: the place from the link (?area= of
    any level, or a dashboard tile's ?village=/?township=, and ?grid=) as filters and removable chips,
    search, status (open ones when the link names none), rule, period, and the delivery (?batch=)."""
    user = request.user
    query = request.GET.copy()
    for old in ("township", "village"):  # the older links name the area by level: one `area` select
        if old in query and not query.get("area"):
            query["area"] = query.pop(old)[-1]
    query.setdefault("status", STATUS_ACTIVE)
    if query.get("status") == "all":  # the older links' "all": the select's empty choice
        query["status"] = ""
    request.GET = query  # type: ignore[assignment]  # the list's query with its defaults, read by Listing
    place = areas.place_in_query(user, {"area": query.get("area", "")}, cap=Cap.HANDLE_WARNINGS)
    grid = areas.place_in_query(user, {"grid": query.get("grid", "")}, cap=Cap.HANDLE_WARNINGS)
    area_options = selectors.area_choices(user)
    if place and place.value not in {v for v, _l in area_options}:
        area_options.append((place.value, place.name))  # a county or prefecture named by the link
    grid_options = selectors.grid_choices(user, place.prefix if place else "")
    if grid and grid.value not in {v for v, _l in grid_options}:
        grid_options.append((grid.value, grid.name))
    states = [(STATUS_ACTIVE, _("待处理（含已指派、已核实）"))] + [(k, _(v)) for k, v in STATE_LABELS.items()]
    rules = [(r.code, in_language(r.zh, r.en)) for r in selectors.rule_choices(user)]
    listing = Listing(
        request,
        sorts=SORTS,
        default_sort="-date",
        filters=[
            Filter("status", _("状态"), states),
            Filter("rule", _("预警规则"), rules),
            Filter("area", _("乡镇/村"), area_options, places=True),
            Filter("grid", _("网格"), grid_options, places=True),
            Filter("since", _("预警日期"), _period_options()),
        ],
        search=_("户主姓名或户编号"),
    )
    for found in (place, grid):
        if found:
            listing.chip(found.name, found.param)
    batch = params.object_id(query, "batch")
    if batch is not None:
        listing.chip(_("数据批次 #%(n)s 带来的预警") % {"n": batch}, "batch")
    f = selectors.WarningFilter(
        status=listing.value("status"),
        rule=listing.value("rule"),
        place=place.q(village="village_code", grid="grid_id") if place else None,
        grid_id=grid.grid_id if grid else None,
        q=listing.q,
        since=selectors.since_of(listing.value("since"), timezone.localdate()),
        batch=batch,
    )
    return listing, f


SORTS = {
    "date": ("as_of", "created"),
    "number": ("household__number",),
    "name": ("household__head_name",),
    "rule": ("rule_code",),
    "status": ("status",),
}


def _period_options() -> list[tuple[str, str]]:
    return list(zip(selectors.PERIODS, [_("近7天"), _("近30天"), _("本月"), _("本年")], strict=True))


@login_required
@replica_ok
def warning_list(request: AuthedHttpRequest) -> HttpResponse:
    listing, f = _warning_listing(request)
    page = listing.page(selectors.warnings_filtered(request.user, f))
    counts = [(r, listing.url(rule=r.code)) for r in selectors.warning_counts(request.user, f.place)]
    return render(request, "monitoring/warning_list.html", {"page": page, "listing": listing, "counts": counts})


EXPORT_LIMIT = 50_000


@login_required
@replica_ok
def warning_export(request: AuthedHttpRequest) -> HttpResponse:
    """The filtered list as a workbook: every row the page would list (in its order), labels not codes."""
    listing, f = _warning_listing(request)
    rows = list(listing.ordered(selectors.warnings_filtered(request.user, f))[:EXPORT_LIMIT])
    data = exports.warnings_workbook(rows, selectors.place_names(request.user, rows))
    name = f"{_('预警清单')}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@idempotent
@login_required
@writes(Cap.HANDLE_WARNINGS)
def warning_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One warning and its actions. The phone queues `verify` offline (docs/offline.md): with an
    Idempotency-Key and `Accept: application/json` it answers JSON or a problem (moved_away, already_decided)."""
    if request.method == "POST":
        w = selectors.warning_for_action(request.user, pk)
    else:
        w = selectors.warning_get(request.user, pk)

    def context() -> dict[str, Any]:
        shown = selectors.warning_get(request.user, pk)  # after a refused step: as it stands now
        worker = selectors.grid_worker_of(request.user, shown)
        return {
            "w": shown,
            "events": selectors.warning_events(request.user, pk),
            "actions": [_action(step, shown, worker) for step in selectors.steps_offered(request.user, shown)],
            "worker": worker,
            "household": selectors.household_context(request.user, shown),
            "errors": {},
            "reason": request.POST.get("reason", ""),  # a refused step keeps what was typed
            "fact_rows": fact_rows(shown),
        }

    def then(moved: Any) -> HttpResponse:
        outcome = {
            "warning_id": moved.pk,
            "status": moved.status,
            "status_zh": STATE_LABELS[moved.status],
            "household_id": moved.household_id,
        }
        zh, en = _transition_message(moved)
        return done(request, zh=zh, en=en, outcome=outcome, to=reverse("monitoring:warning_detail", args=[pk]))

    return form_post(
        request,
        template="monitoring/warning_detail.html",
        context=context,
        fields=("event", "reason"),
        run=lambda v: services.warning_transition(actor=request.user, warning=w, event=v["event"], reason=v["reason"]),
        done=None,  # `then` answers: the message, or JSON for the phone's queue
        then=then,
    )


def _action(step: Any, w: Any, worker: Any) -> dict[str, str]:
    """A button of the warning page: its label (saying whom `assign` assigns), and for a decision that
    cannot be undone the question the browser asks first (`data-confirm`)."""
    name = w.household.head_name
    rule = in_language(w.rule["zh"], w.rule["en"])
    label = in_language(step.zh, step.en)
    if step.event == "assign" and worker is not None:
        label = _("指派给网格员%(name)s核实") % {"name": worker}
    confirm = ""
    if step.event == "dismiss":
        confirm = _("排除%(name)s户的“%(rule)s”风险？预警将关闭，直到数据再次变化；此操作不能撤销。") % {
            "name": name,
            "rule": rule,
        }
    elif step.event == "escalate":
        confirm = _("将%(name)s户转为监测对象？将为该户启动监测识别程序（线索送乡镇受理）；此操作不能撤销。") % {
            "name": name
        }
    return {"event": step.event, "label": label, "confirm": confirm if step.event in IRREVERSIBLE else ""}


def _transition_message(w: Any) -> tuple[str, str]:
    """What the step did and who acts next, in both languages (a queued action reads either)."""
    head = w.household.head_name
    rule_en = w.rule["en"] or w.rule_code.replace("_", " ")
    if w.status == "verified":
        return (
            f"已核实{head}户的预警（{w.rule_name}），等待村、乡镇决定排除风险或转为监测对象",
            f"Warning ({rule_en}) for {head}'s household verified; the village and township decide next",
        )
    if w.status == "assigned":
        who = str(w.assigned_to) if w.assigned_to else ""
        return f"已指派网格员{who}入户核实", f"Assigned to the grid worker {who} to verify on a visit"
    if w.status == "escalated":
        return (
            f"已将{head}户转为监测对象，线索已送乡镇受理",
            f"{head}'s household goes into the monitoring procedure; the township receives the lead",
        )
    return f"预警已更新：{STATE_LABELS[w.status]}", f"Warning updated: {STATE_LABELS_EN[w.status]}"


@login_required
@writes(Cap.UPLOAD_FEEDS)
def feed_list(request: AuthedHttpRequest) -> HttpResponse:
    """Deliveries the user sees, and for a department's data officer the upload of their feed types."""
    specs = selectors.feed_specs_for(request.user)

    def context() -> dict[str, Any]:
        return {
            "batches": selectors.batches_with_outcome(request.user),
            "specs": specs,
            "kinds": [(s.kind, _feed_label(s)) for s in specs],
            "handles_warnings": selectors.handles_warnings(request.user),
        }

    def run(values: dict[str, str]) -> Any:
        file = uploaded(request)
        return services.feed_upload_start(actor=request.user, kind=values["kind"], period=values["period"], **file)

    return form_post(
        request,
        template="monitoring/feed_list.html",
        context=context,
        run=run,
        done=_feed_done,
        then=_feed_then,
        fields=("kind", "period"),
        initial={"kind": specs[0].kind if specs else ""},
    )


def _feed_label(spec: Any) -> str:
    return f"{_(spec.zh)}（{_(spec.department)}）"


def _feed_done(started: Any) -> str:
    """What a delivery did: rows stored and matched, and what the screening found or when it runs."""
    if not isinstance(started, tuple):
        return _("文件较大，已转入后台处理，完成后可在本页查看结果")
    batch, created = started
    if not created:
        return _("该批数据此前已报送，未重复保存")
    b = selectors.batch_outcome(batch.pk)
    stored = _("已保存 %(rows)s 行，全部匹配到登记人员（%(households)s 户）。") % {
        "rows": b.batch.rows,
        "households": b.households,
    }
    if not b.screened:
        return stored + _("重新筛查已排队，由后台在几分钟内完成，结果见下方批次。")
    return stored + _("重新筛查已完成，发现新预警 %(n)s 条。") % {"n": b.new_warnings}


def _feed_then(started: Any) -> HttpResponse:
    if not isinstance(started, tuple):  # a large file: the worker stores it, the job page follows
        return redirect("core:job_detail", pk=started.pk)
    return redirect(reverse("monitoring:feed_list") + f"#batch-{started[0].pk}")


@login_required
def feed_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    resp = HttpResponse(
        template_bytes(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="feed-{kind}.xlsx"'
    return resp
