"""`bangfu backup` / `bangfu restore` (review reliability D2/D4, row 16): a consistent copy with
its keys and media; a restore that checks checksums, integrity and that the key decrypts the data
before it replaces anything."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bangfu.core import backup, crypto
from bangfu.core.backup import BackupError, key_fingerprint, sha256_file
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tools() -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (Debian: postgresql-client)")


def _intact() -> bool:
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("PRAGMA integrity_check")
            return c.fetchall() == [("ok",)]
        c.execute("SELECT count(*) FROM registry_member")  # pg_restore ran in one transaction
        return c.fetchone()[0] > 0


@pytest.fixture
def var(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    (settings.MEDIA_ROOT / "claims").mkdir(parents=True)
    (settings.MEDIA_ROOT / "claims" / "a.pdf").write_bytes(b"%PDF-1.4 claim")
    return settings.VAR_DIR


def _rehash(path: Path) -> None:
    """Make the manifest agree with files changed on purpose (so the deeper checks are reached)."""
    m = json.loads((path / "manifest.json").read_text())
    m["files"] = {rel: sha256_file(path / rel) for rel in m["files"] if (path / rel).exists()}
    m["field_key_fingerprint"] = key_fingerprint((path / "keys/field_key").read_text())
    (path / "manifest.json").write_text(json.dumps(m))


def test_backup_during_writes_restores_an_intact_readable_database(world, var, tmp_path) -> None:
    member = Member.objects.filter(household=world.households["h1"]).first()
    assert member is not None
    full_id = crypto.decrypt(member.id_enc)
    with connection.cursor() as c:
        c.execute("CREATE TABLE scratch_writes (n INTEGER)")
    stop = threading.Event()

    written = []

    def write() -> None:  # another connection writing while the backup runs
        if connection.vendor != "sqlite":
            import psycopg

            d = connection.settings_dict
            with psycopg.connect(
                dbname=d["NAME"], user=d["USER"], host=d["HOST"] or "localhost", port=d["PORT"] or 5432,
                password=d["PASSWORD"] or None, autocommit=True,
            ) as pg:  # fmt: skip
                while not stop.is_set():
                    pg.execute("INSERT INTO scratch_writes VALUES (1)")
                    written.append(1)
            return
        db = sqlite3.connect(connection.settings_dict["NAME"], uri=True, timeout=5, check_same_thread=False)
        try:
            while not stop.is_set():
                try:
                    db.execute("INSERT INTO scratch_writes VALUES (1)")
                    db.commit()
                    written.append(1)
                except sqlite3.OperationalError:  # locked by the backup for a moment
                    pass
        finally:
            db.close()

    result = None
    writer = threading.Thread(target=write)
    writer.start()
    while not written and writer.is_alive():
        threading.Event().wait(0.01)
    assert written, "the writer never wrote"
    try:
        result = backup.backup(tmp_path / "backups")
    finally:
        stop.set()
        writer.join()
    assert result.path.parent == tmp_path / "backups" and not list((tmp_path / "backups").glob(".*"))
    m = result.manifest
    assert m["counts"]["registry_member"] == Member.objects.count()
    assert m["field_key_fingerprint"] == key_fingerprint(settings.FIELD_ENCRYPTION_KEY)
    assert "registry.0001_initial" in m["migrations"] and "media/claims/a.pdf" in m["files"]
    assert (result.path / "keys/field_key").stat().st_mode & 0o077 == 0

    # The live system moves on (and loses its media); the restore brings the backup back.
    Household.objects.filter(pk=world.households["h2"].pk).update(address="after the backup")
    shutil.rmtree(var / "media")
    call_command("restore", str(result.path))
    assert _intact()
    assert Household.objects.get(pk=world.households["h2"].pk).address == world.households["h2"].address
    assert crypto.decrypt(Member.objects.get(pk=member.pk).id_enc) == full_id
    assert (var / "media/claims/a.pdf").read_bytes() == b"%PDF-1.4 claim"
    assert (var / "field_key").read_text() == settings.FIELD_ENCRYPTION_KEY


def manifest_db(path: Path) -> str:
    return str(json.loads((path / "manifest.json").read_text())["database"])


def _nothing_replaced(world, var) -> None:
    assert Household.objects.get(pk=world.households["h3"].pk).address == "after the backup"
    assert not (var / "field_key").exists()
    assert not (var / "media/claims/a.pdf").exists()


@pytest.mark.parametrize("how", ["wrong key", "missing key", "checksum", "corrupt database"])
def test_restore_refuses_a_bad_backup_and_replaces_nothing(world, var, tmp_path, how) -> None:
    path = backup.backup(tmp_path / "backups").path
    if how == "wrong key":
        (path / "keys/field_key").write_text("another-key-that-is-not-the-data's")
        _rehash(path)  # even with a manifest that agrees, the key does not decrypt the data
    elif how == "missing key":
        (path / "keys/field_key").unlink()
    elif how == "checksum":
        with (path / manifest_db(path)).open("r+b") as f:
            f.seek(200)
            f.write(b"\x00garbage")
    else:
        with (path / manifest_db(path)).open("r+b") as f:  # damage pages, then make the checksums agree
            f.seek(4096 if connection.vendor == "sqlite" else 64)  # a page / the dump's table of contents
            f.write(b"\xff" * 8192)
        _rehash(path)
    Household.objects.filter(pk=world.households["h3"].pk).update(address="after the backup")
    shutil.rmtree(var / "media")
    with pytest.raises(CommandError) as e:
        call_command("restore", str(path))
    assert "Nothing was changed" in str(e.value) and "未做任何更改" in str(e.value)
    _nothing_replaced(world, var)
    with pytest.raises(BackupError):
        backup.verify(path)


def test_restore_refuses_a_backup_from_a_newer_version(world, var, tmp_path) -> None:
    path = backup.backup(tmp_path / "b").path
    m = json.loads((path / "manifest.json").read_text())
    m["migrations"].append("registry.9999_future")
    (path / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(BackupError) as e:
        backup.verify(path)
    assert "newer version" in e.value.en


def test_check_only_changes_nothing(world, var, tmp_path, capsys) -> None:
    path = backup.backup(tmp_path / "b").path
    Household.objects.filter(pk=world.households["h3"].pk).update(address="after the backup")
    call_command("restore", str(path), "--check")
    assert (
        Household.objects.get(pk=world.households["h3"].pk).address == "after the backup"
        and "verified" in capsys.readouterr().out
    )
