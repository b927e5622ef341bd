"""Pages of monitoring: warnings per role, one warning with its lifecycle, department feed deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.core import params
from bangfu.core.errors import ApplicationError
from bangfu.core.excel import upload_bytes
from bangfu.core.replicas import replica_ok
from bangfu.core.views import error_status, field_errors, reraise_access
from bangfu.monitoring import selectors, services
from bangfu.monitoring.domain.feeds import SPECS
from bangfu.monitoring.domain.lifecycle import STATE_LABELS, TABLE
from bangfu.monitoring.templates_xlsx import template_bytes
from bangfu.rules.domain.facts import FACTS


@login_required
@replica_ok
def warning_list(request: HttpRequest) -> HttpResponse:
    f = selectors.WarningFilter(status=request.GET.get("status", "active"), rule=request.GET.get("rule", ""))
    page = selectors.warning_page(request.user, f, params.page_number(request.GET))  # type: ignore[arg-type]
    return render(
        request,
        "monitoring/warning_list.html",
        {
            "page": page,
            "filter": f,
            "states": STATE_LABELS,
            "counts": selectors.warning_counts(request.user),  # type: ignore[arg-type]
        },
    )


@login_required
@writes(Cap.HANDLE_WARNINGS)
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    w = selectors.warning_get(request.user, pk)  # type: ignore[arg-type]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.warning_transition(
                actor=request.user,
                warning=w,
                event=request.POST.get("event", ""),  # type: ignore[arg-type]
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "已更新 Updated")
            return redirect("monitoring:warning_detail", pk=pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            errors = field_errors(exc)
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


@login_required
@writes(Cap.UPLOAD_FEEDS)
def feed_list(request: HttpRequest) -> HttpResponse:
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
                data=upload_bytes(upload),  # type: ignore[arg-type]
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
            "specs": SPECS.values(),  # type: ignore[arg-type]
            "error": error,
            "problems": problems,
        },
        status=status,
    )


@login_required
def feed_template(request: HttpRequest, kind: str) -> HttpResponse:
    resp = HttpResponse(
        template_bytes(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="feed-{kind}.xlsx"'
    return resp
