"""Bangfu refuses to start with a field key that is not its database's (reliability review D2).

The reviewer restored a backup without var/field_key: the server generated a new key and started;
full IDs gave 500, the look-up found nobody and the same person was registered a second time.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bangfu.core import crypto, keys
from bangfu.core.models import FieldKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_key(settings):
    """Switch the configured key (as a restore without var/field_key would), caches included."""

    def switch(value: str) -> None:
        settings.FIELD_ENCRYPTION_KEY = value
        crypto._keys.cache_clear()
        crypto._aead.cache_clear()

    yield switch
    crypto._keys.cache_clear()
    crypto._aead.cache_clear()


def test_the_first_start_records_the_key_and_the_same_key_starts_again(world) -> None:
    assert not FieldKey.objects.exists()
    assert keys.problem() is None
    assert FieldKey.objects.get().fingerprint == keys.fingerprint()
    assert keys.problem() is None and FieldKey.objects.count() == 1
    call_command("check")  # no error


def test_a_different_key_stops_every_command_and_the_wsgi_app(world, other_key) -> None:
    assert keys.problem() is None  # recorded with the database's own key
    other_key("a-new-key-generated-after-a-restore")
    assert keys.problem() == "mismatch"
    [error] = keys.field_key_check()
    assert error.id == "bangfu.E001" and "字段密钥" in error.msg and "field key" in error.msg
    with pytest.raises(SystemCheckError):  # `bangfu <command>` exits non-zero
        call_command("check")
    with pytest.raises(SystemExit) as stop:  # bangfu/wsgi.py: the worker does not boot
        keys.ensure()
    assert "var/field_key" in str(stop.value.code)


def test_a_database_from_before_the_fingerprint_is_checked_by_decrypting(world, other_key) -> None:
    """No fingerprint yet (a database older than this check): a sample ID number must decrypt."""
    other_key("not-the-key-these-members-were-written-with")
    assert keys.problem() == "unreadable"
    assert not FieldKey.objects.exists()  # nothing recorded for the wrong key


def test_a_key_generated_because_the_file_was_missing_is_removed_again(world, other_key, settings, tmp_path) -> None:
    keys.problem()
    generated = tmp_path / "field_key"
    generated.write_text("just-generated")
    settings.FIELD_KEY_GENERATED = str(generated)
    other_key("just-generated")
    [error] = keys.field_key_check()
    assert "刚生成的新密钥已删除" in error.msg and not generated.exists()
