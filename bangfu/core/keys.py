"""The field key belongs to its database (reliability review D2).

The database keeps a fingerprint of the key its ID numbers are encrypted with (`core.FieldKey`).
At every start — each `bangfu` command through a system check, the WSGI application in
`bangfu/wsgi.py` — the configured key is compared with it; a different key, or a new one generated
because `var/field_key` was missing, stops Bangfu with a bilingual message and a non-zero exit instead
of starting with unreadable ID numbers and a look-up that no longer finds anyone. A database from
before the fingerprint was kept is checked by decrypting a sample of its encrypted values (apps
register where those are with `register_sample`), then fingerprinted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, IntegrityError, transaction

from bangfu.core import crypto

_SAMPLES: list[Callable[[], str | None]] = []

ZH = (
    "数据库中的身份证号是用另一把字段密钥加密的，当前密钥无法解密。请恢复与该数据库配套的 var/field_key"
    "（或环境变量 FIELD_ENCRYPTION_KEY）后再启动；切勿用新密钥启动。"
)
EN = (
    "The database holds ID numbers encrypted with a different field key, which the configured key cannot "
    "read. Restore the var/field_key (or FIELD_ENCRYPTION_KEY) that belongs to this database, then start "
    "again; Bangfu will not run with a new key."
)


def register_sample(sample: Callable[[], str | None]) -> None:
    """An app storing crypto.encrypt() values gives a way to fetch one (None when it has none)."""
    _SAMPLES.append(sample)


def fingerprint(key: str | None = None) -> str:
    """The fingerprint of `key` (default: the configured field key); `bangfu backup` records it too."""
    root = (settings.FIELD_ENCRYPTION_KEY if key is None else key).encode()
    return hmac.new(root, b"bangfu-field-key-fingerprint", hashlib.sha256).hexdigest()


def _readable(token: str) -> bool:
    try:
        crypto.decrypt(token)
    except Exception:  # InvalidTag, bad padding: the key is not the one the value was written with
        return False
    return True


def problem() -> str | None:
    """None when the configured key is the database's (recording its fingerprint on first use)."""
    from bangfu.core.models import FieldKey

    stored = FieldKey.objects.order_by("pk").first()
    if stored is not None:
        return None if hmac.compare_digest(stored.fingerprint, fingerprint()) else "mismatch"
    samples = [token for sample in _SAMPLES if (token := sample())]
    if any(not _readable(token) for token in samples):
        return "unreadable"
    try:
        with transaction.atomic():
            if not FieldKey.objects.exists():
                FieldKey.objects.create(fingerprint=fingerprint())
    except IntegrityError:  # another process recorded it at the same moment
        pass
    return None


def refuse_message() -> str:
    generated = getattr(settings, "FIELD_KEY_GENERATED", None)
    if generated:
        # the key was made just now because the file was missing: do not leave it to be used later
        Path(generated).unlink(missing_ok=True)
        return (
            f"{ZH}（缺少 var/field_key，刚生成的新密钥已删除）\n"
            f"{EN} (var/field_key was missing; the key just generated was removed again)"
        )
    return f"{ZH}\n{EN}"


def ensure() -> None:
    """For the WSGI application: stop (non-zero exit of the worker) when the key is not the database's."""
    try:
        found = problem()
    except DatabaseError:
        return  # not migrated yet, or no database: nothing encrypted to protect
    if found:
        raise SystemExit(refuse_message())


@checks.register("bangfu")
def field_key_check(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    try:
        found = problem()
    except DatabaseError:
        return []  # before `bangfu migrate`, or without a database
    if not found:
        return []
    return [checks.Error(refuse_message(), hint="docs/operations.md: Keys and backups", id="bangfu.E001")]
