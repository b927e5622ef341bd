"""A department feed file of more than a few thousand rows is stored by `bangfu worker` (a job with
progress and the same all-or-nothing check and per-row report), visible only to its uploader."""

from __future__ import annotations

import io

import pytest

from bangfu.core.models import Job
from bangfu.monitoring.models import FeedBatch, FeedRow
from bangfu.monitoring.tests.test_feeds import edu, school_row  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.BANGFU_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def csv_file(rows: list[dict[str, str]]) -> io.BytesIO:
    text = ",".join(rows[0]) + "\n" + "".join(",".join(r.values()) + "\n" for r in rows)
    f = io.BytesIO(("\ufeff" + text).encode())
    f.name = "school.csv"
    return f


def test_big_feed_file_becomes_a_job(world, edu, client_for, api_for, background, django_capture_on_commit_callbacks):  # noqa: F811
    members = [m for h in world.households.values() for m in h.members.all()][:3]
    rows = [school_row(m, tuition="3000") for m in members]
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(edu).post("/monitoring/feeds/", {"kind": "school", "period": "2025-09", "file": csv_file(rows)})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.progress, job.result["rows"]) == ("done", 100, 3)
    assert FeedBatch.objects.get().rows == 3 and FeedRow.objects.count() == 3
    assert "已保存 3 行" in client_for(edu).get(f"/jobs/{job.pk}/").content.decode()
    for other in (world.t1, world.t2, world.gw2, world.dept):
        assert client_for(other).get(f"/jobs/{job.pk}/").status_code == 404

    bad = [*rows, school_row(members[0], tuition="-5")]
    with django_capture_on_commit_callbacks(execute=True):
        r = api_for(edu).post("/api/v1/monitoring/feeds/school/file", {"file": csv_file(bad)})
    assert r.status_code == 202
    failed = api_for(edu).get(r.json()["url"]).json()
    assert failed["status"] == "failed" and any(e["row"] == 5 for e in failed["error"]["errors"])
    assert FeedRow.objects.count() == 3  # nothing of the wrong batch
    assert api_for(world.t2).get(r.json()["url"]).status_code == 404
