"""Exactly-once writes for actions a phone queues while offline (docs/offline.md, issue #15).

A request carrying `Idempotency-Key: <uuid>` to a route declared with `@idempotent` (a page view, run
by `IdempotencyMiddleware`, or an API operation, run by bangfu.api) is run once: the (user, key) row, the
route, a fingerprint of the body and the answer (status + JSON) are written in the same transaction as
the action. Sent again by the same user to the same route with the same body, the stored answer comes
back with `Idempotent-Replayed: true` and nothing runs. The same key from another user, to another route
or with another body is refused (422). Answers 2xx and 4xx are stored (a refused action is refused the
same way again, and whatever it wrote is rolled back); a 5xx or an exception stores nothing, so the
client can retry with the same key. Without the header the route behaves as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from bangfu.core.answers import wants_json
from bangfu.core.errors import ApplicationError
from bangfu.core.middleware import PROBLEM_JSON, error_response, problem, problem_response
from bangfu.core.models import IdempotencyKey

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENT_ATTR = "bangfu_idempotent"
KEEP_DAYS = 90  # a phone may stay offline for weeks; a key older than this is forgotten
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken"})


def idempotent[V: Callable[..., Any]](view: V) -> V:
    """Declare a page view or API operation safe to replay with an Idempotency-Key (put it above
    `@login_required`/`@writes`). Like `writes` it only marks the function, so Ninja still reads its
    signature: `IdempotencyMiddleware` runs a marked page view through `run_once`, and bangfu.api runs a
    marked operation (parsing, view, serialisation) through it, since only there is its answer known."""
    setattr(view, IDEMPOTENT_ATTR, True)
    return view


def is_idempotent(func: object) -> bool:
    return bool(getattr(func, IDEMPOTENT_ATTR, False))


class IdempotencyMiddleware:
    """Runs page views marked `@idempotent` through `run_once` (after the CSRF and capability checks:
    keep it last in settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not is_idempotent(view_func) or KEY_HEADER not in request.headers or request.method not in WRITE_METHODS:
            return None
        return run_once(request, lambda: view_func(request, *args, **kwargs))


class _Refused(Exception):
    """Carries a 4xx answer out of the savepoint so that whatever the action wrote is rolled back."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def run_once(request: HttpRequest, call: Callable[[], HttpResponse]) -> HttpResponse:
    raw = request.headers.get(KEY_HEADER)
    if raw is None or request.method not in WRITE_METHODS:
        return call()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        if wants_json(request):
            body = problem(401, "unauthenticated", "请先登录后再同步", "Sign in, then send the queued action again")
            return problem_response(body, 401)
        return call()  # login_required sends the browser to the login page
    try:
        key = uuid.UUID(raw.strip())
    except ValueError:
        return _refuse(
            "idempotency_key_invalid",
            f"Idempotency-Key 应为UUID，收到的是“{raw[:60]}”",
            f"The Idempotency-Key header must be a UUID, not '{raw[:60]}'",
        )
    route = f"{request.method} {request.path}"[:300]
    fp = fingerprint(request)
    with transaction.atomic():
        if IdempotencyKey.objects.filter(key=key).exclude(user=user).exists():
            return _reused()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, route=route, fingerprint=fp)
        except IntegrityError:  # sent before (or at the same moment: we waited for that one to commit)
            return _replay(IdempotencyKey.objects.get(user=user, key=key), route, fp)
        try:
            with transaction.atomic():
                response = _answer(request, call)
                if response.status_code >= 400:
                    raise _Refused(response)
        except _Refused as refused:
            response = refused.response
        if response.status_code >= 500 or response.status_code == 401:
            transaction.set_rollback(True)  # nothing happened: the same key may be sent again
            return response
        _store(record, response)
    return response


def _answer(request: HttpRequest, call: Callable[[], HttpResponse]) -> HttpResponse:
    try:
        return call()
    except ApplicationError as exc:  # pages raise; the API has turned its errors into answers already
        return error_response(request, exc)


def _store(record: IdempotencyKey, response: HttpResponse) -> None:
    content_type = response.get("Content-Type", "")
    body: Any = None
    if "json" in content_type and not getattr(response, "streaming", False):
        # kept as the text that was sent, not parsed: PostgreSQL's jsonb would reorder the keys and a
        # replay must be the same answer byte for byte
        body = response.content.decode()
    record.status = response.status_code
    record.body = body
    record.content_type = content_type[:100] if body is not None else ""
    record.location = response.get("Location", "")[:500]
    record.save(update_fields=["status", "body", "content_type", "location"])


def _replay(record: IdempotencyKey, route: str, fp: str) -> HttpResponse:
    if record.route != route or record.fingerprint != fp:
        return _reused()
    if record.body is not None:
        sent = record.body if isinstance(record.body, str) else json.dumps(record.body, ensure_ascii=False)
        response = HttpResponse(sent, status=record.status, content_type=record.content_type)
    else:
        response = HttpResponse(status=record.status)
        if record.location:
            response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


def _refuse(code: str, zh: str, en: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(problem(422, code, zh, en), ensure_ascii=False), status=422, content_type=PROBLEM_JSON
    )


def _reused() -> HttpResponse:
    return _refuse(
        "idempotency_key_reused",
        "这个Idempotency-Key已用于另一项操作；每项操作请使用新的UUID",
        "This Idempotency-Key was already used for another action (another user, route or body); "
        "use a new UUID for each action",
    )


def fingerprint(request: HttpRequest) -> str:
    """sha256 of what the request asks for: form fields (CSRF token left out) and file bytes, or the
    raw body of JSON requests."""
    h = hashlib.sha256()
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name in sorted(request.POST):
            if name not in SKIPPED_FIELDS:
                h.update(json.dumps([name, request.POST.getlist(name)], ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                h.update(name.encode())
                for chunk in upload.chunks():
                    h.update(chunk)
                upload.seek(0)
    else:
        h.update(request.body)
    return h.hexdigest()


def purge(*, older_than_days: int = KEEP_DAYS) -> int:
    """Forget keys older than `older_than_days` (run nightly by `bangfu worker`, core.tasks)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _ = IdempotencyKey.objects.filter(created__lt=cutoff).delete()
    return deleted
