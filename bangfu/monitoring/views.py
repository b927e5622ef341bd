"""Pages of monitoring: warnings per role, one warning with its lifecycle, department feed deliveries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import params
from bangfu.core.answers import done, wants_json
from bangfu.core.errors import ApplicationError
from bangfu.core.excel import upload_bytes
from bangfu.core.idempotency import idempotent
from bangfu.core.replicas import replica_ok
from bangfu.core.views import error_status, field_errors, reraise_access
from bangfu.monitoring import selectors, services
from bangfu.monitoring.domain.feeds import SPECS
from bangfu.monitoring.domain.lifecycle import STATE_LABELS, TABLE
from bangfu.monitoring.templates_xlsx import template_bytes
from bangfu.rules.domain.facts import FACTS


@login_required
@replica_ok
def warning_list(request: AuthedHttpRequest) -> HttpResponse:
    f = selectors.WarningFilter(status=request.GET.get("status", "active"), rule=request.GET.get("rule", ""))
    page = selectors.warning_page(request.user, f, params.page_number(request.GET))
    return render(
        request,
        "monitoring/warning_list.html",
        {
            "page": page,
            "filter": f,
            "states": STATE_LABELS,
            "counts": selectors.warning_counts(request.user),
        },
    )


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
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            w = services.warning_transition(
                actor=request.user,
                warning=w,
                event=request.POST.get("event", ""),
                reason=request.POST.get("reason", ""),
            )
        except ApplicationError as exc:
            reraise_access(exc)
            if wants_json(request):
                raise
            errors = field_errors(exc)
        else:
            label = STATE_LABELS[w.status]
            outcome = {"warning_id": w.pk, "status": w.status, "status_zh": label, "household_id": w.household_id}
            zh, en = _transition_message(w, label)
            return done(request, zh=zh, en=en, outcome=outcome, to=reverse("monitoring:warning_detail", args=[pk]))
    return render(
        request,
        "monitoring/warning_detail.html",
        {
            "w": w,
            "events": selectors.warning_events(request.user, pk),
            "actions": TABLE.from_state(w.status),
            "state_label": STATE_LABELS[w.status],
            "errors": errors,
            "fact_rows": [(FACTS[k].zh, v, w.thresholds.get(k, "")) for k, v in w.facts.items()],
        },
        status=422 if errors else 200,
    )


def _transition_message(w: Any, label: str) -> tuple[str, str]:
    """What the step did and who acts next."""
    head = w.household.head_name
    if w.status == "verified":
        return (
            f"已核实{head}户的预警（{w.rule_name}），等待村、乡镇决定排除风险或转为监测对象",
            f"Warning ({w.rule_name}) for {head}'s household verified; the village and township decide next",
        )
    if w.status == "assigned":
        who = str(w.assigned_to) if w.assigned_to else ""
        return f"已指派网格员{who}入户核实", f"Assigned to the grid worker {who} to verify"
    return f"预警已更新：{label}", f"Warning updated: {w.status}"


@login_required
@writes(Cap.UPLOAD_FEEDS)
def feed_list(request: AuthedHttpRequest) -> HttpResponse:
    problems: list[object] = []
    error = ""
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        try:
            if upload is None:
                raise ApplicationError(zh="请选择要上传的文件", en="Choose a file to upload", code="no_file")
            started = services.feed_upload_start(
                actor=request.user,
                kind=kind,
                data=upload_bytes(upload),
                filename=upload.name or "",
                period=request.POST.get("period", ""),
            )
            if not isinstance(started, tuple):  # a large file: the worker stores it, the job page follows
                return redirect("core:job_detail", pk=started.pk)
            batch, created = started
            messages.success(
                request,
                f"已保存 {batch.rows} 行 Stored {batch.rows} rows"
                if created
                else "该批数据此前已报送，未重复保存 This batch was already delivered; stored once",
            )
            return redirect("monitoring:feed_list")
        except ApplicationError as exc:
            reraise_access(exc)  # not a data officer of the department: the 403 page, not a form error
            error, problems, status = f"{exc.zh}（{exc.en}）", list(exc.problems), error_status(exc)
    return render(
        request,
        "monitoring/feed_list.html",
        {
            "batches": selectors.batches_visible(request.user)[:100],
            "specs": SPECS.values(),
            "error": error,
            "problems": problems,
        },
        status=status,
    )


@login_required
def feed_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    resp = HttpResponse(
        template_bytes(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="feed-{kind}.xlsx"'
    return resp
