"""A large household export is built by `bangfu worker` and downloaded from the job page by the user
who asked for it, with the same scope and ID masking as the immediate export."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from bangfu.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.BANGFU_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_big_export_is_a_job_with_a_download(
    world, client_for, api_for, background, django_capture_on_commit_callbacks
):
    c = client_for(world.t1)  # two households in T1: more than the (lowered) limit
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get("/registry/households/export.xlsx")
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/" and job.status == "done"
    assert "download" in c.get(f"/jobs/{job.pk}/").content.decode()
    d = c.get(f"/jobs/{job.pk}/download")
    assert d.status_code == 200 and d["Cache-Control"] == "no-store"
    numbers = {
        r[0] for r in CalamineWorkbook.from_filelike(io.BytesIO(d.content)).get_sheet_by_name("农户").to_python()[1:]
    }
    assert numbers == {world.households["h1"].number, world.households["h2"].number}  # T1 only
    assert api_for(world.t1).get(f"/api/v1/jobs/{job.pk}").json()["download"] == f"/api/v1/jobs/{job.pk}/download"
    assert api_for(world.t1).get(f"/api/v1/jobs/{job.pk}/download").status_code == 200
    for other in (world.t2, world.gw2, world.county):
        assert client_for(other).get(f"/jobs/{job.pk}/download").status_code == 404
        assert api_for(other).get(f"/api/v1/jobs/{job.pk}/download").status_code == 404


def test_small_export_stays_immediate(world, client_for, background):
    r = client_for(world.gw1).get("/registry/households/export.xlsx")  # one household in grid G1
    assert r.status_code == 200 and not Job.objects.exists()
