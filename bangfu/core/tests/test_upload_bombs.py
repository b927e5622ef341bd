"""Every page and API that reads an uploaded workbook refuses the crafted bombs of review D4.

Each was a 1.5 KB file that aborted a worker (used range A1:XFD1048576) or took it to 1.1 GB
(A1:ALL20000). Here: the answer is 413 with a bilingual message, the test process is still alive,
its memory did not grow, nothing was stored; and a user without the right to upload gets 403/404
*before* the file is read (feeds were parsed before the department was checked).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas.models import Area
from bangfu.core.tests.test_excel_limits import small_memory
from bangfu.monitoring.models import FeedBatch
from bangfu.registry.models import Household
from bangfu.testing import bomb_xlsx

pytestmark = pytest.mark.django_db

BOMBS = ["XFD1048576", "ALL20000"]
REGISTRY_SHEETS = ("农户", "成员")


@pytest.fixture
def edu(world):
    u = accounts.user_create(username="edu", password="test-pass-123", display_name="教育局")
    accounts.membership_grant(user=u, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="县教育局")
    return u


def _file(last: str, sheets: tuple[str, ...] = ("Sheet1",)) -> SimpleUploadedFile:
    return SimpleUploadedFile("bomb.xlsx", bomb_xlsx(last, sheets=sheets))


def _state() -> tuple[int, int, int]:
    return FeedBatch.objects.count(), Household.objects.count(), Area.objects.count()


def _refused(resp, status: int = 413) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.content[:300]
    if status == 413:
        if resp["Content-Type"].startswith("application/json"):  # the API: both languages
            text = str(resp.json())
            assert "过大" in text and "too large" in text
        else:  # a page: the reader's language (Chinese by default), one at a time
            assert "过大" in resp.content.decode()


@pytest.mark.parametrize("last", BOMBS)
def test_feed_upload_page_and_api(world, edu, client_for, api_for, last) -> None:
    before = _state()
    with small_memory():
        _refused(client_for(edu).post("/monitoring/feeds/", {"kind": "school", "file": _file(last)}))
        _refused(api_for(edu).post("/api/v1/monitoring/feeds/school/file", {"file": _file(last)}))
        # not a data officer of the education department: refused before the file is read
        _refused(client_for(world.gw2).post("/monitoring/feeds/", {"kind": "school", "file": _file(last)}), 403)
        _refused(api_for(world.t2).post("/api/v1/monitoring/feeds/school/file", {"file": _file(last)}), 403)
        _refused(api_for(world.dept).post("/api/v1/monitoring/feeds/school/file", {"file": _file(last)}), 403)
    assert _state() == before


@pytest.mark.parametrize("last", BOMBS)
def test_registry_import_page_and_api(world, client_for, api_for, last) -> None:
    before = _state()
    with small_memory():
        _refused(client_for(world.t1).post("/registry/households/import/", {"file": _file(last, REGISTRY_SHEETS)}))
        _refused(api_for(world.t1).post("/api/v1/registry/import", {"file": _file(last, REGISTRY_SHEETS)}))
        # gw2 holds no import capability: refused (403) before the file is read
        _refused(
            client_for(world.gw2).post("/registry/households/import/", {"file": _file(last, REGISTRY_SHEETS)}), 403
        )
        _refused(api_for(world.gw2).post("/api/v1/registry/import", {"file": _file(last, REGISTRY_SHEETS)}), 403)
    assert _state() == before


@pytest.mark.parametrize("last", BOMBS)
def test_area_import_page_and_api(world, client_for, api_for, last) -> None:
    before = _state()
    with small_memory():
        _refused(client_for(world.county).post("/areas/import/", {"file": _file(last)}))
        _refused(api_for(world.county).post("/api/v1/areas/import", {"file": _file(last)}))
        _refused(client_for(world.gw2).post("/areas/import/", {"file": _file(last)}), 403)
        _refused(api_for(world.t2).post("/api/v1/areas/import", {"file": _file(last)}), 403)
    assert _state() == before
