"""Every account change is in the audit log (#14): each public write of accounts.services records an
AuditEvent itself or through the module's functions it calls. A new write without one fails here; a
function that changes no account must be listed below with the reason."""

from __future__ import annotations

import ast
from pathlib import Path

import bangfu.accounts.lockout
import bangfu.accounts.services

NOT_ACCOUNT_CHANGES = {
    "token_touch": "bookkeeping: when a token was last used (at most every BANGFU_TOKEN_TOUCH_SECONDS)",
    "token_wrote": "bookkeeping: when a token last wrote (read-your-writes on replicas)",
    "temporary_password": "pure: makes a password, stores nothing",
    "first_run_open": "a read: whether the install has no account yet",
    "access_changed": "bookkeeping: a new access_version with a change audited by its own service (cache key)",
}


def _unaudited(module: object) -> list[str]:
    tree = ast.parse(Path(module.__file__).read_text())  # type: ignore[attr-defined]
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}

    def called(fn: ast.FunctionDef) -> set[str]:
        return {c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}

    def audited(name: str, seen: frozenset[str] = frozenset()) -> bool:
        names = called(funcs[name])
        return "audit_record" in names or any(
            audited(n, seen | {name}) for n in names if n in funcs and n not in seen and n != name
        )

    return [n for n in funcs if not n.startswith("_") and n not in NOT_ACCOUNT_CHANGES and not audited(n)]


def test_every_account_write_records_an_audit_event() -> None:
    assert _unaudited(bangfu.accounts.services) == []


def test_lifting_a_login_lock_is_audited() -> None:
    unaudited = _unaudited(bangfu.accounts.lockout)
    assert "lockout_lift" not in unaudited and "lift" not in unaudited
