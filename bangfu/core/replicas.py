"""Read replicas: which reads may go to a PostgreSQL standby, and which standby may take them.

A province runs one primary and one or more streaming replicas (`DATABASE_REPLICA_URLS`, settings
aliases `replica_1`, `replica_2`, …). The rules (docs/operations.md, "Read replicas"):

- A view or API operation says that a little lag is fine for it with `@replica_ok` (dashboards,
  reports, exports, list pages, the API's list endpoints). Nothing is routed by URL; an unmarked view,
  every write, and every non-GET request read from the primary.
- Inside a marked GET, reads go to one replica, the same for the whole request, until something is
  written: from the first write on (and inside any `transaction.atomic` block) every read goes to the
  primary, so a request never mixes what it wrote with older data. Background tasks read from the
  primary.
- Read-your-writes: a request that wrote sets a signed cookie (`BANGFU_READ_YOUR_WRITES_SECONDS`);
  while it is valid, that browser's reads stay on the primary. API tokens carry the same mark on the
  server (`ApiToken.last_write`, see bangfu/api.py), for clients that keep no cookies.
- A replica is used only while it answers, is a standby (`pg_is_in_recovery()`), and is at most
  `BANGFU_REPLICA_MAX_LAG` seconds behind (it has replayed the primary's current WAL position, or
  its last replayed transaction is that recent). The answer is cached per process for
  `BANGFU_REPLICA_CHECK_SECONDS`. A replica that is down or behind is skipped without an error, and a
  replica that fails in the middle of a request makes the request start again on the primary (only
  when nothing was written yet, so nothing is done twice).

Without replicas configured the router is not installed and `replica_ok` costs nothing.
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger("bangfu.replicas")

REPLICA_OK_ATTR = "_bangfu_replica_ok"
COOKIE = "bangfu_rw"
_COOKIE_SALT = "bangfu.core.replicas"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Tables that are always read on the primary whatever the view: the login session, task queue
# (job pages poll it) and login lockouts (a lift must take effect at once).
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_tasks_database", "axes"})
# What a replica dying under a request looks like (the retry then runs on the primary).
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def replica_ok[F: Callable[..., Any]](func: F) -> F:
    """Mark a page view or an API operation whose GET may read from a replica (a little lag is fine:
    dashboards, reports, exports, list pages, API lists). Put it next to the route, like `writes`.
    The function is returned unchanged (only an attribute is set), so Ninja still reads its signature."""
    setattr(func, REPLICA_OK_ATTR, True)
    return func


def is_replica_ok(func: object) -> bool:
    return bool(getattr(func, REPLICA_OK_ATTR, False))


def aliases() -> list[str]:
    """The configured replica aliases (empty: no replicas, everything on the primary)."""
    return list(getattr(settings, "BANGFU_REPLICA_ALIASES", []))


# --- where this request reads ---------------------------------------------------------------------


@dataclass
class Reading:
    """The routing state of one request (or of a block run with `reading`)."""

    replica_ok: bool = False  # the view is marked and the method is safe: replicas may serve reads
    wrote: bool = False  # something was (or is about to be) written: all further reads on the primary
    alias: str | None = None  # the replica chosen for this request ("" : none usable)
    retried: bool = False  # the request already started again on the primary once

    def stay_on_primary(self) -> None:
        self.replica_ok = False

    @property
    def used_replica(self) -> bool:
        return bool(self.alias)


_reading: ContextVar[Reading | None] = ContextVar("bangfu_reading", default=None)


def current() -> Reading | None:
    return _reading.get()


@contextmanager
def reading(state: Reading | None = None) -> Iterator[Reading]:
    """Run a block (a request) with its own routing state; the state of an enclosing block is restored."""
    state = state or Reading()
    token = _reading.set(state)
    try:
        yield state
    finally:
        _reading.reset(token)


def from_replica() -> bool:
    """Whether reads of the current request may go to a replica (marked view, safe method, no write
    yet, no recent write of this user). Used to keep the read path free of writes."""
    state = _reading.get()
    return bool(state and state.replica_ok and not state.wrote and aliases())


def _in_transaction() -> bool:
    """Inside a transaction.atomic block on the primary (the test case's own wrapping block excluded)."""
    return any(not getattr(block, "_from_testcase", False) for block in connections[DEFAULT_DB_ALIAS].atomic_blocks)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when replicas are configured (see the module note)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _reading.get()
        if (
            state is None
            or not state.replica_ok
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or _in_transaction()
        ):
            return DEFAULT_DB_ALIAS
        if state.alias is None:
            usable = usable_replicas()
            state.alias = random.choice(usable) if usable else ""
        return state.alias or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _reading.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's data: an object read from one relates to any

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


# --- which replica is usable ----------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    alias: str
    usable: bool
    lag: float | None  # seconds behind the primary (0: has replayed the primary's position); None: unknown
    reason: str  # why it is not usable ("" when it is)
    checked: float  # time.monotonic() of the check


_health: dict[str, Health] = {}

_LAG_SQL = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false),
       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())
"""


def usable_replicas() -> list[str]:
    """The replicas that answer, are standbys and are within the lag limit (checked at most every
    BANGFU_REPLICA_CHECK_SECONDS per process)."""
    now = time.monotonic()
    every = float(getattr(settings, "BANGFU_REPLICA_CHECK_SECONDS", 2.0))
    out = []
    for alias in aliases():
        health = _health.get(alias)
        if health is None or now - health.checked >= every:
            health = check(alias)
        if health.usable:
            out.append(alias)
    return out


def check(alias: str) -> Health:
    """Measure one replica now (and remember the answer): a broken connection is closed, never raised."""
    limit = float(getattr(settings, "BANGFU_REPLICA_MAX_LAG", 5.0))
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cur.fetchone()[0]
        with connections[alias].cursor() as cur:
            cur.execute(_LAG_SQL, [primary_lsn])
            in_recovery, caught_up, since_replay = cur.fetchone()
    except Error as exc:
        _close(alias)
        health = Health(alias, False, None, f"unreachable: {str(exc).strip().splitlines()[0][:200]}", time.monotonic())
    else:
        lag = 0.0 if caught_up else (float(since_replay) if since_replay is not None else None)
        if not in_recovery:
            reason = "not a standby (pg_is_in_recovery() is false: promoted, or the primary itself)"
        elif lag is None:
            reason = "has replayed no transaction yet"
        elif lag > limit:
            reason = f"{lag:.1f} s behind (limit BANGFU_REPLICA_MAX_LAG={limit:g} s)"
        else:
            reason = ""
        health = Health(alias, not reason, lag, reason, time.monotonic())
    _remember(health)
    return health


def forget(alias: str | None = None) -> None:
    """Drop the cached health of one replica (or of all): the next read checks again."""
    if alias is None:
        _health.clear()
    else:
        _health.pop(alias, None)


def health() -> list[Health]:
    """The last known state of every replica (measured now when never measured)."""
    return [_health.get(a) or check(a) for a in aliases()]


def _remember(health: Health) -> None:
    before = _health.get(health.alias)
    _health[health.alias] = health
    if before is None or before.usable != health.usable:
        if health.usable:
            logger.info("Replica %s in use (%.1f s behind)", health.alias, health.lag or 0.0)
        else:
            logger.warning("Replica %s skipped, reads go to the primary: %s", health.alias, health.reason)


def _close(alias: str) -> None:
    with suppress(Error):
        connections[alias].close()


# --- requests -------------------------------------------------------------------------------------


def recent_writer(request: HttpRequest) -> bool:
    """This browser wrote within BANGFU_READ_YOUR_WRITES_SECONDS (the signed cookie is valid)."""
    if COOKIE not in request.COOKIES:
        return False
    window = datetime.timedelta(seconds=float(settings.BANGFU_READ_YOUR_WRITES_SECONDS))
    return request.get_signed_cookie(COOKIE, default=None, salt=_COOKIE_SALT, max_age=window) is not None


def allow(request: HttpRequest, func: object, state: Reading) -> None:
    """Let `state` read from replicas when `func` is marked, the method is safe and the user has not
    just written. Called once the user is known (after authentication)."""
    if aliases() and is_replica_ok(func) and request.method in SAFE_METHODS and not recent_writer(request):
        state.replica_ok = True


def wrote_recently(when: datetime.datetime | None) -> bool:
    """A write at `when` (an API token's last_write) is within BANGFU_READ_YOUR_WRITES_SECONDS."""
    window = float(settings.BANGFU_READ_YOUR_WRITES_SECONDS)
    return when is not None and (timezone.now() - when).total_seconds() < window


class RestartOnPrimary(Exception):
    """Raised by the API's handler of connection errors when the operation may run again on the primary."""


def may_retry(state: Reading | None, exc: BaseException) -> bool:
    """A replica failed under a request that wrote nothing: it may start again on the primary."""
    return (
        state is not None
        and isinstance(exc, CONNECTION_ERRORS)
        and state.used_replica
        and not state.wrote
        and not state.retried
    )


def restart_on_primary(state: Reading) -> None:
    """Forget the failed replica and route the rest of the request (run again) to the primary."""
    logger.warning("Replica %s failed during a request; answering it from the primary", state.alias)
    if state.alias:
        _close(state.alias)
        check(state.alias)
    state.retried = True
    state.replica_ok = False
    state.alias = None


def mark_written(request: HttpRequest, response: HttpResponse) -> None:
    """After a request that wrote: this browser reads from the primary for the next few seconds."""
    window = float(settings.BANGFU_READ_YOUR_WRITES_SECONDS)
    response.set_signed_cookie(
        COOKIE,
        "1",
        salt=_COOKIE_SALT,
        max_age=max(1, int(window)),
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
    )


class ReplicaMiddleware:
    """Gives every request its routing state; lets marked page views read from replicas; starts a page
    again on the primary when its replica fails before anything was written; sets the read-your-writes
    cookie after a request that wrote. The API does the same per operation (bangfu/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not aliases():
            return self.get_response(request)
        with reading() as state:
            response = self.get_response(request)
            if state.wrote:
                mark_written(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        state = _reading.get()
        if state is not None and is_replica_ok(view_func):
            user = getattr(request, "user", None)
            if user is not None:
                user.is_authenticated  # noqa: B018  (load the session's user from the primary first)
            allow(request, view_func, state)
            request._bangfu_view = (view_func, args, kwargs)  # type: ignore[attr-defined]  # read in process_exception
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        state = _reading.get()
        view = getattr(request, "_bangfu_view", None)
        if view is None or not may_retry(state, exc):
            return None
        assert state is not None
        restart_on_primary(state)
        view_func, args, kwargs = view
        from bangfu.core.errors import ApplicationError
        from bangfu.core.middleware import error_response

        try:
            response: HttpResponse = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        except ApplicationError as error:
            return error_response(request, error)
        return response
