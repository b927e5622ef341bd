"""`bangfu backup` / `bangfu restore`: a copy a county can trust, and a restore that checks first.

A backup is one directory holding everything needed to bring the system back:

    bangfu-20261205-020000/
      manifest.json      what is inside: SHA-256 of every file, the field key's fingerprint, the
                         applied migrations, row counts, the database engine
      db.sqlite3         SQLite: a consistent copy made with the online backup API (never `cp`:
                         a copy of a database being written to can be corrupt — review D4, row 16)
      db.dump            PostgreSQL: `pg_dump --format=custom`
      keys/field_key     the key of the ID numbers (without it they are lost), keys/secret_key
      media/…            uploaded files (claim and case documents, photos)

It is written under a temporary name and renamed when complete, so a half-written backup never
looks like a backup. `restore` verifies the checksums, the database (`PRAGMA integrity_check`,
`pg_restore --list`), that the migrations are known to this version, and that the key in the
backup decrypts the ID numbers in the backup — all before it replaces anything. The files it
replaces are kept beside the originals (`*.before-restore-<time>`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from bangfu.core import keys
from bangfu.core.errors import ApplicationError

FORMAT = 1
KEY_FILES = ("field_key", "secret_key")
SAMPLE = 50  # encrypted ID numbers tried when checking that a key belongs to a database


class BackupError(ApplicationError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en, code="backup", status=400)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def key_fingerprint(key: str) -> str:
    """The key's fingerprint as core.keys records it in the database (core.FieldKey)."""
    return keys.fingerprint(key)


def _decrypts(key: str, tokens: list[str]) -> bool:
    """Whether `key` decrypts the sampled ID numbers (the same derivation as core.crypto)."""
    aead = AESGCM(hashlib.sha256(b"bangfu-enc|" + key.encode()).digest())
    try:
        for token in tokens:
            raw = base64.b64decode(token)
            aead.decrypt(raw[:12], raw[12:], None)
    except Exception:
        return False
    return True


def _engine(alias: str = "default") -> str:
    return "postgresql" if connections[alias].vendor == "postgresql" else "sqlite"


def _current_key(name: str) -> str:
    """The key in use (from the environment or var/, as settings read it)."""
    return str(settings.FIELD_ENCRYPTION_KEY if name == "field_key" else settings.SECRET_KEY)


# --- backup -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def backup(to: Path | None = None, alias: str = "default") -> BackupResult:
    """Write a complete backup directory under `to` (default: <var>/backups) and return its path."""
    root = Path(to or Path(settings.VAR_DIR) / "backups")
    root.mkdir(parents=True, exist_ok=True)
    name = f"bangfu-{timezone.localtime():%Y%m%d-%H%M%S-%f}"
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        engine = _engine(alias)
        db_file = work / ("db.sqlite3" if engine == "sqlite" else "db.dump")
        if engine == "sqlite":
            _sqlite_copy(alias, db_file)
        else:
            _pg_dump(alias, db_file)
        keys = work / "keys"
        keys.mkdir()
        for k in KEY_FILES:
            (keys / k).write_text(_current_key(k))
            (keys / k).chmod(0o600)
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, work / "media", symlinks=False)
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "engine": engine,
            "database": db_file.name,
            "field_key_fingerprint": key_fingerprint(_current_key("field_key")),
            "migrations": _applied_migrations(alias),
            "counts": _counts(alias),
            "files": {str(p.relative_to(work)): sha256_file(p) for p in sorted(work.rglob("*")) if p.is_file()},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        final = root / name
        work.rename(final)  # complete, or not there at all
        final.chmod(0o700)
        return BackupResult(final, manifest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _sqlite_copy(alias: str, dest: Path) -> None:
    """SQLite's online backup: a consistent snapshot even while other connections write."""
    conn = connections[alias]
    conn.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        conn.connection.backup(target)
    finally:
        target.close()


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    s = connections[alias].settings_dict
    args = ["--host", str(s.get("HOST") or "localhost"), "--port", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _pg_dump(alias: str, dest: Path) -> None:
    args, env = _pg_env(alias)
    name = str(connections[alias].settings_dict["NAME"])
    run = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dest), *args, name],
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_dump 失败：{run.stderr.strip()}", f"pg_dump failed: {run.stderr.strip()}")


def _applied_migrations(alias: str) -> list[str]:
    with connections[alias].cursor() as c:
        c.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in c.fetchall()]


def _counts(alias: str) -> dict[str, int]:
    out = {}
    with connections[alias].cursor() as c:
        for table in ("registry_household", "registry_member", "core_auditevent"):
            c.execute(f"SELECT COUNT(*) FROM {table}")
            out[table] = int(c.fetchone()[0])
    return out


# --- restore ------------------------------------------------------------------------------------


def verify(path: Path, alias: str = "default") -> dict[str, Any]:
    """Every check of a backup, without changing anything; returns its manifest or raises BackupError."""
    manifest_file = path / "manifest.json"
    if not manifest_file.is_file():
        raise BackupError(f"{path} 不是备份（没有 manifest.json）", f"{path} is not a backup (no manifest.json)")
    try:
        manifest = json.loads(manifest_file.read_text())
        files: dict[str, str] = manifest["files"]
        database = str(manifest["database"])
    except (ValueError, KeyError, TypeError):
        raise BackupError("备份清单已损坏", "The backup's manifest is damaged") from None
    _check_files(path, database, files)
    key = (path / "keys/field_key").read_text().strip()
    if key_fingerprint(key) != manifest.get("field_key_fingerprint"):
        raise BackupError("备份中的密钥与清单不符", "The key in the backup does not match its manifest")
    if os.environ.get("FIELD_ENCRYPTION_KEY") and os.environ["FIELD_ENCRYPTION_KEY"] != key:
        raise BackupError(
            "环境变量 FIELD_ENCRYPTION_KEY 与备份的密钥不同：恢复后身份证号将无法读取。请先改为备份的密钥",
            "FIELD_ENCRYPTION_KEY in the environment differs from the backup's key: ID numbers would be "
            "unreadable after the restore. Set it to the backup's key first",
        )
    _check_migrations(manifest.get("migrations", []))
    engine = manifest.get("engine")
    if engine != _engine(alias):
        raise BackupError(
            f"备份来自 {engine} 数据库，当前配置的是 {_engine(alias)}",
            f"The backup is of {engine}, this is {_engine(alias)}",
        )
    tokens, stored = _sqlite_check(path / database) if engine == "sqlite" else _pg_check(path / database)
    if (stored is not None and stored != key_fingerprint(key)) or (tokens and not _decrypts(key, tokens)):
        raise BackupError(
            "备份中的密钥不能解密备份中的身份证号（密钥与数据不匹配），不能恢复",
            "The key in the backup does not decrypt the ID numbers in the backup (key and data do not match)",
        )
    return dict(manifest)


def _check_files(path: Path, database: str, files: dict[str, str]) -> None:
    for rel in (database, "keys/field_key"):
        if rel not in files or not (path / rel).is_file():
            raise BackupError(f"备份缺少 {rel}，不能恢复", f"The backup lacks {rel}; it cannot be restored")
    for rel, digest in files.items():
        f = path / rel
        if not f.is_file() or sha256_file(f) != digest:
            raise BackupError(
                f"备份文件 {rel} 已损坏或被修改（校验和不符），不能恢复",
                f"The backup file {rel} is damaged or changed (checksum mismatch); it cannot be restored",
            )


def _check_migrations(applied: list[str]) -> None:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(applied) - known)
    if unknown:
        raise BackupError(
            f"备份来自更新的版本（本版本没有迁移 {', '.join(unknown[:5])}），请先升级程序",
            f"The backup is from a newer version (unknown migrations {', '.join(unknown[:5])}); upgrade first",
        )


def _sqlite_check(db: Path) -> tuple[list[str], str | None]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise sqlite3.DatabaseError(str(result[:3]))
            rows = conn.execute(f"SELECT id_enc FROM registry_member LIMIT {SAMPLE}").fetchall()
            try:
                stored = conn.execute("SELECT fingerprint FROM core_fieldkey ORDER BY id LIMIT 1").fetchone()
            except sqlite3.OperationalError:  # a database from before core.FieldKey
                stored = None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"备份的数据库已损坏（{exc}），不能恢复", f"The backup's database is damaged ({exc}); it cannot be restored"
        ) from None
    return [r[0] for r in rows], (stored[0] if stored else None)


def _pg_check(dump: Path) -> tuple[list[str], str | None]:
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, errors="replace", check=False
    )
    if listing.returncode != 0:
        raise BackupError(
            f"备份的数据库已损坏（{listing.stderr.strip()[:200]}）",
            f"The backup's database is damaged: {listing.stderr[:200]}",
        )
    stored = _pg_column(dump, "core_fieldkey", "fingerprint", 1) if "core_fieldkey" in listing.stdout else []
    return _pg_column(dump, "registry_member", "id_enc", SAMPLE), (stored[0] if stored else None)


def _pg_column(dump: Path, table: str, column: str, limit: int) -> list[str]:
    """Up to `limit` values of one column, read from the dump's COPY data of `table`."""
    data = subprocess.run(
        ["pg_restore", "--data-only", f"--table={table}", "--file=-", str(dump)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if data.returncode != 0:
        raise BackupError("备份的数据库已损坏", f"The backup's database is damaged: {data.stderr[:200]}")
    values: list[str] = []
    columns: list[str] = []
    for line in data.stdout.splitlines():
        if line.startswith("COPY ") and table in line:
            columns = [c.strip().strip('"') for c in line[line.index("(") + 1 : line.index(")")].split(",")]
            continue
        if columns:
            if line == "\\." or len(values) >= limit:
                break
            values.append(line.split("\t")[columns.index(column)])
    return values


def restore(path: Path, alias: str = "default") -> dict[str, Any]:
    """Verify the backup (see `verify`), then put its database, keys and media in place."""
    path = Path(path)
    manifest = verify(path, alias)
    stamp = f"before-restore-{timezone.localtime():%Y%m%d-%H%M%S}"
    db = path / manifest["database"]
    if manifest["engine"] == "sqlite":
        _sqlite_replace(alias, db, stamp)
    else:
        _pg_replace(alias, db)
    var = Path(settings.VAR_DIR)
    for k in KEY_FILES:
        src = path / "keys" / k
        if src.is_file():
            _replace_file(src, var / k, stamp)
            (var / k).chmod(0o600)
    media = Path(settings.MEDIA_ROOT)
    if (path / "media").is_dir():
        if media.exists():
            media.rename(media.with_name(f"{media.name}.{stamp}"))
        shutil.copytree(path / "media", media)
    return manifest


def _replace_file(src: Path, dest: Path, stamp: str) -> None:
    tmp = dest.with_name(f".{dest.name}.restoring")
    shutil.copyfile(src, tmp)
    if dest.exists():
        shutil.copyfile(dest, dest.with_name(f"{dest.name}.{stamp}"))
    os.replace(tmp, dest)


def _sqlite_replace(alias: str, db: Path, stamp: str) -> None:
    """Copy the backup into the live database through SQLite itself (the backup API in reverse),
    so open connections, the WAL and an in-memory test database are all handled by SQLite."""
    conn = connections[alias]
    name = str(conn.settings_dict["NAME"])
    if name and not name.startswith(("file:", ":memory:")) and Path(name).exists():
        keep = sqlite3.connect(Path(name).with_name(f"{Path(name).name}.{stamp}"))
        conn.ensure_connection()
        conn.connection.backup(keep)
        keep.close()
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.ensure_connection()
        source.backup(conn.connection)
    finally:
        source.close()


def _pg_replace(alias: str, dump: Path) -> None:
    connections[alias].close()
    args, env = _pg_env(alias)
    name = str(connections[alias].settings_dict["NAME"])
    run = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            "--dbname",
            name,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if run.returncode != 0:
        raise BackupError(
            f"pg_restore 失败（未做更改）：{run.stderr.strip()[:500]}", f"pg_restore failed: {run.stderr[:500]}"
        )
