"""The production configuration: hashed static files really exist, deploy checks pass."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_pages_render_with_hashed_static_files(tmp_path, world):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        for asset in (
            "bangfu/app.css",
            "vendor/htmx-2.0.11.min.js",
            "vendor/echarts-5.6.0.min.js",
            "ninja/swagger-ui-bundle.js",
        ):
            assert list(tmp_path.glob(asset.replace(".", ".*.", 1))) or (tmp_path / asset).exists(), asset
        r = Client().get("/accounts/login/")
        assert r.status_code == 200
        assert "/static/bangfu/app." in r.content.decode()
        c = Client()
        c.force_login(world.county, backend="bangfu.accounts.sessions.AccountBackend")
        assert c.get("/").status_code == 200
        assert c.get("/registry/households/").status_code == 200


def test_deploy_check_passes():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process; a deployment never has it.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {"BANGFU_PRODUCTION": "1"}
    cmd = [sys.executable, "-m", "bangfu.cli", "check", "--deploy", "--fail-level", "WARNING"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
