"""The form kit of the page views (read POST, call the service, show the page again with the problems
beside the fields: `form_post`), and the pages of background jobs."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve, reverse

from bangfu.core import selectors
from bangfu.core.answers import wants_json
from bangfu.core.errors import ApplicationError, NotFound, invalid
from bangfu.core.excel import upload_bytes
from bangfu.core.i18n import in_language
from bangfu.core.models import Job

type PageView = Callable[..., HttpResponse]


def page_on_get(page: str, to: Callable[..., Mapping[str, Any]] | None = None) -> Callable[[PageView], PageView]:
    """The one rule for an address that only takes a form's POST: a GET (a reload of the address a refused
    form was shown at, a bookmark, the back button) shows the page the form lives on, never a blank 405.

    `page` is that page's URL name. Its arguments are the view's own (`pk` → `pk`), or what `to(request,
    **kwargs)` returns for a page addressed otherwise (a grid's hand-over → its village's page; an
    address of no object → `{}`); `to` looks the object up through a scoped selector, so whoever may not
    see it gets 404. The page is answered by its own view (not a redirect), so its access rule applies.
    Put it under `@login_required`, above `@writes(...)`, instead of `@require_POST`.
    """

    def wrap(view: PageView) -> PageView:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                response: HttpResponse = view(request, *args, **kwargs)
                return response
            target = dict(to(request, **kwargs)) if to is not None else kwargs
            shown: HttpResponse = resolve(reverse(page, kwargs=target)).func(request, **target)
            return shown

        return inner

    return wrap


def same(*names: str) -> Callable[..., Mapping[str, Any]]:
    """`to` for `page_on_get`: keep these of the view's arguments (`same("pk")` drops a claim step's event)."""

    def pick(_request: HttpRequest, **kwargs: Any) -> Mapping[str, Any]:
        return {n: kwargs[n] for n in names}

    return pick


def field_errors(exc: ApplicationError) -> dict[str, list[str]]:
    """field name → messages in the reader's language for a template; "form" for the rest."""
    out: dict[str, list[str]] = defaultdict(list)
    for p in exc.problems:
        out[p.field.split(".")[-1]].append(p.message)
    if not exc.problems:
        out["form"].append(exc.message)
    return dict(out)


def post_dict(request: HttpRequest, fields: Iterable[str] | None = None) -> dict[str, str]:
    """What was typed, stripped: the POST values of `fields` ("" when absent), or of every field sent.

    The one reading of a form: a view hands these strings to `core.inputs` and keeps them to show again.
    """
    names = [k for k in request.POST if k != "csrfmiddlewaretoken"] if fields is None else fields
    return {f: request.POST.get(f, "").strip() for f in names}


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def reraise_access(exc: ApplicationError) -> None:
    """The one rule for a form: input problems are shown in place; 'not yours' (404) and 'not allowed'
    (403) go to the error pages (`core.middleware`), never inline on the form."""
    if exc.status in (403, 404):
        raise exc


def error_status(exc: ApplicationError | None) -> int:
    """Status of a form page shown again: 200 without error; the error's own for a conflict (409), an
    upload too large (413) or too many tries (429); any other problem with what was sent is 422 (a file
    that is not the template, which the API answers 400, included)."""
    if exc is None:
        return 200
    return exc.status if exc.status in (409, 413, 429) else 422


SHOWN_PROBLEMS = 500  # problems listed on a page; the rest are counted


def failed(exc: ApplicationError, *, form: str | None = None, **context: Any) -> dict[str, Any]:
    """Context for a form shown again: 403/404 re-raised (`reraise_access`); the problems by field as
    `errors` (and `fe[form]` when a page holds several forms sharing field names), the error as `error`,
    and for an import's report by row (`_import_report.html`) the first problems and how many more."""
    reraise_access(exc)
    errors = field_errors(exc)
    rows = [p for p in exc.problems if p.field != "file"]  # the file's own problem is beside its field
    shown = rows[:SHOWN_PROBLEMS]  # a whole wrong file can have 100,000 problems: the first ones
    out = context | {"errors": errors, "error": exc, "problems": shown, "more": len(rows) - len(shown)}
    if form is not None:
        out |= {"form": form, "fe": {form: errors}}
    return out


def form_post[T](
    request: HttpRequest,
    *,
    template: str,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
    run: Callable[[dict[str, str]], T],
    done: str | Callable[[T], str] | None,
    then: str | Callable[[T], HttpResponse],
    fields: Iterable[str] | None = None,
    initial: Mapping[str, Any] | None = None,
    keep_as: str = "values",
    form: str | None = None,
    forget: Iterable[str] = (),
) -> HttpResponse:
    """A form page: call the service, or show the page again with the problems beside the fields.

    GET (or HEAD) renders `template` with `context` and `initial` as `keep_as` ("values").
    POST reads what was typed (`post_dict(request, fields)`) and calls `run(values)`; `run` parses
    with `core.inputs` and calls the service. On success `done` (text, or a function of the result)
    becomes a message and the browser goes to `then` (a URL or URL name, or a function of the result
    returning a response). On an `ApplicationError`, 403/404 go to the error pages and anything else
    shows the page again with `errors`, `error` and what was typed (status: `error_status`). `context`
    may be a function, so a page whose context needs the database is built only when it is shown. The
    fields in `forget` are not shown again (an ID number is never echoed back into a page).
    """

    def page(extra: Mapping[str, Any], status: int = 200) -> HttpResponse:
        ctx = dict(context) if isinstance(context, Mapping) else dict(context())
        return render(request, template, ctx | dict(extra), status=status)

    if request.method != "POST":
        return page({keep_as: dict(initial or {})})
    values = post_dict(request, fields)
    try:
        result = run(values)
    except ApplicationError as exc:
        if wants_json(request):
            raise  # a queued action (docs/offline.md) gets the problem document, not the page
        kept = {k: ("" if k in forget else v) for k, v in values.items()}
        return page({keep_as: kept} | failed(exc, form=form), status=error_status(exc))
    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    return then(result) if callable(then) else redirect(then)


def uploaded(request: HttpRequest, field: str = "file") -> dict[str, Any]:
    """The file of an upload form as every importer takes it (`data=`, `filename=`), read within the
    size limits (`core.excel.upload_bytes`); no file chosen is a problem beside the field. An import
    page is then `form_post(..., run=lambda _v: importer(actor=user, **uploaded(request)))`, and its
    template shows the report by row with `{% include "_import_report.html" %}`."""
    upload = request.FILES.get(field)
    if upload is None:
        raise invalid(field, "请选择要上传的文件", "Choose a file to upload")
    return {"data": upload_bytes(upload), "filename": upload.name or ""}


def post_message(request: HttpRequest, done: str, action: Callable[[], object]) -> bool:
    """The small inline forms of a detail page (a button, two fields): run `action`; success becomes
    the message `done`, an input problem an error message (every field's messages joined), and the
    caller redirects back either way. 403/404 go to the error pages (`reraise_access`)."""
    try:
        action()
    except ApplicationError as exc:
        reraise_access(exc)
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
        return False
    messages.success(request, done)
    return True


# --- background jobs: "my jobs", one job with its progress bar (htmx polling) and its result ----------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/job_list.html", {"jobs": selectors.jobs_of(request.user)[:100]})


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job_detail.html"
    return render(request, template, _job_context(job))


@login_required
def job_download(request: HttpRequest, pk: str) -> HttpResponse:
    """The file a job made (an export), for the user who started it only."""
    job = selectors.job_get(request.user, pk, with_output=True)
    if not job.output:
        raise NotFound()
    response = HttpResponse(bytes(job.output), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.output_name or 'export.xlsx')}"
    response["Cache-Control"] = "no-store"
    return response


def _job_context(job: Job) -> dict[str, Any]:
    problems = job.error.get("errors", []) if job.error else []
    total = job.error.get("errors_total", len(problems)) if job.error else 0
    return {
        "job": job,
        "running": job.status in (Job.QUEUED, Job.RUNNING),
        "problems": [
            {**p, "message": in_language(p.get("message", ""), p.get("message_en", ""))}
            for p in problems[:SHOWN_PROBLEMS]
        ],
        "more": max(0, total - min(len(problems), SHOWN_PROBLEMS)),
    }
