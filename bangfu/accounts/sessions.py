"""Login sessions in the database, read by one hand-written statement.

Every page a logged-in person opens reads their session row and their user row before anything else;
through the ORM each read costs about a millisecond of Python to build and compile (bench/requests).
SESSION_ENGINE and AUTHENTICATION_BACKENDS name these classes; they store and check exactly what
Django's database sessions and ModelBackend do (bangfu/accounts/tests/test_sessions.py compares them).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.rows import Columns, fetch_one

_SESSION = Columns(Session, "s")
_SESSION_BY_KEY = f"SELECT {_SESSION.sql} FROM {_SESSION.table} s WHERE s.session_key = %s AND s.expire_date > %s"
_USER = Columns(User, "u")
_USER_BY_KEY = f"SELECT {_USER.sql} FROM {_USER.table} u WHERE u.id = %s"


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        using = router.db_for_read(Session)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())  # as the ORM sends it
        row = fetch_one(using, _SESSION_BY_KEY, [self.session_key, now])
        if row is None:
            self._session_key = None  # as Django's store does: a new session key on the next save
            return None
        return _SESSION.instance(using, row)


class AccountBackend(ModelBackend):
    """ModelBackend whose per-request user read is one hand-written statement."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        using = router.db_for_read(User)
        row = fetch_one(using, _USER_BY_KEY, [pk])
        if row is None:
            return None
        user = _USER.instance(using, row)
        return user if self.user_can_authenticate(user) else None
