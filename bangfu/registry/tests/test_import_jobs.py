"""A large Excel import runs in `bangfu worker`, not in the upload request (reliability D4, row 15):
the page and the API answer at once with a job; its progress, result and per-row report stay with
the user who started it, and nobody else sees it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.core.models import Job
from bangfu.registry.importer import household_import
from bangfu.registry.models import Household, Member
from bangfu.registry.tests.test_import import household, member, xlsx

pytestmark = pytest.mark.django_db
NUMBERS = [f"5111331002019{n:02d}" for n in range(1, 5)]


@pytest.fixture
def background(settings):
    settings.BANGFU_BACKGROUND_ROWS = 3  # "a few thousand" in production; four households here
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def big_file(world, bad: bool = False) -> bytes:
    members: list[Sequence[str]] = [member(n, f"户主{i}") for i, n in enumerate(NUMBERS)]
    if bad:
        members.append(member(NUMBERS[0], "错误", id_number="123"))  # a wrong ID number: nothing is imported
    return xlsx([household(n, world.v1a.code, "G1") for n in NUMBERS], members)


def post(client, data: bytes):  # type: ignore[no-untyped-def]
    return client.post("/registry/households/import/", {"file": SimpleUploadedFile("big.xlsx", data)})


def test_big_import_is_queued_then_run_by_the_worker_with_progress(
    world, client_for, background, django_capture_on_commit_callbacks
) -> None:
    c = client_for(world.t1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = post(c, big_file(world))
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.progress, Household.objects.count()) == ("queued", 0, 3)  # nothing imported yet
    page = c.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in page.content.decode()  # the bar polls

    for callback in queued:  # the commit hands the job to the task backend (immediate here: runs now)
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress, job.result["households"], job.result["members"]) == ("done", 100, 4, 4)
    assert job.payload is None  # the uploaded file is not kept
    assert Household.objects.filter(number__in=NUMBERS).count() == 4
    status = c.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已导入4户" in status and "hx-trigger" not in status  # finished: the polling stops
    assert str(job.pk) in c.get("/registry/households/import/").content.decode()  # the import page lists it
    assert str(job.pk) in c.get("/jobs/").content.decode()


def test_progress_is_reported_between_the_steps(world) -> None:
    seen: list[tuple[int, str, str]] = []
    household_import(
        actor=world.t1, data=big_file(world), filename="a.xlsx", progress=lambda p, s, e: seen.append((p, s, e))
    )
    percents = [p for p, _, _ in seen]
    assert all(e and not any("\u4e00" <= ch <= "\u9fff" for ch in e) for _, _, e in seen)  # each phase in English too
    assert percents == sorted(percents) and len(percents) >= 3 and all(0 < p < 100 for p in percents)


def test_failed_big_import_keeps_all_or_nothing_and_the_row_report(
    world, client_for, background, django_capture_on_commit_callbacks
) -> None:
    before = (Household.objects.count(), Member.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client_for(world.t1), big_file(world, bad=True))
    job = Job.objects.get()
    assert r.status_code == 302 and job.status == "failed" and job.progress == 100
    assert (Household.objects.count(), Member.objects.count()) == before
    rows = {(e["row"], e["field"]) for e in job.error["errors"]}
    assert (6, "成员!身份证号") in rows
    page = client_for(world.t1).get(f"/jobs/{job.pk}/").content.decode()
    assert "成员!身份证号" in page and "未导入任何数据" in page


def test_api_answers_202_with_a_job_to_poll(world, api_for, background, django_capture_on_commit_callbacks) -> None:
    api = api_for(world.t1)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/v1/registry/import", {"file": SimpleUploadedFile("big.xlsx", big_file(world))})
    assert r.status_code == 202, r.content
    url = r.json()["url"]
    done = api.get(url).json()
    assert (done["status"], done["progress"], done["result"]["households"]) == ("done", 100, 4)
    assert [j["id"] for j in api.get("/api/v1/jobs").json()] == [done["id"]]


def test_small_import_stays_synchronous(world, api_for, background) -> None:
    data = xlsx([household(NUMBERS[0], world.v1a.code)], [member(NUMBERS[0], "户主")])
    r = api_for(world.t1).post("/api/v1/registry/import", {"file": SimpleUploadedFile("s.xlsx", data)})
    assert r.status_code == 201 and not Job.objects.exists()


def test_nobody_else_sees_the_job(world, client_for, api_for, background, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(world.t1), big_file(world))
    job = Job.objects.get()
    for user in (world.t2, world.gw2, world.county):  # neighbouring township, another grid, even the county
        assert client_for(user).get(f"/jobs/{job.pk}/").status_code == 404
        assert client_for(user).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").status_code == 404
        assert api_for(user).get(f"/api/v1/jobs/{job.pk}").status_code == 404
        assert api_for(user).get("/api/v1/jobs").json() == []
        assert str(job.pk) not in client_for(user).get("/jobs/").content.decode()
    assert api_for(world.t2).get("/api/v1/jobs/not-a-uuid").status_code == 404
    job.refresh_from_db()
    assert job.status == "done"
