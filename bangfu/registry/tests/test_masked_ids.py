"""Masked ID numbers cannot be rebuilt from what a role without view_full_id is shown (security review D3).

The reviewer rebuilt every number as mask[:4] + village code[4:6] + birth date + mask[14:]. Here each
role without the right reads the household page, the API and the export, and the test attempts that
reconstruction and a brute force over everything shown: the birth date is never shown, and the mask,
village code and birth year leave thousands of numbers with a valid check digit.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.core import crypto
from bangfu.core.domain.idnumber import check_digit

pytestmark = pytest.mark.django_db


def _all_text(client, api, h) -> tuple[str, dict[str, Any], list[list[Any]]]:
    page = client.get(f"/registry/households/{h.pk}/").content.decode()
    data = api.get(f"/api/v1/registry/households/{h.pk}").json()
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/registry/households/export.xlsx").content))
    rows = book.get_sheet_by_name("成员").to_python()
    return page, data, rows


def _candidates(masked: str, village_code: str, year: int) -> set[str]:
    """Every number consistent with the mask, the village's county and the birth year shown."""
    region = village_code[:6]
    assert masked[:4] == region[:4]
    day, out = dt.date(year, 1, 1), set()
    while day.year == year:
        for seq in range(1000):
            s = f"{seq:03d}"
            if masked[-2] != "*" and s[2] != masked[-2]:
                continue
            first17 = region + day.strftime("%Y%m%d") + s
            if check_digit(first17) == masked[-1]:
                out.add(first17 + masked[-1])
        day += dt.timedelta(days=1)
    return out


@pytest.mark.parametrize("role", ["gw1", "v1", "auditor"])
def test_nothing_shown_to_a_role_without_the_right_rebuilds_the_number(world, client_for, api_for, role) -> None:
    user = getattr(world, role)
    h = world.households["h1"]
    page, data, rows = _all_text(client_for(user), api_for(user), h)
    export = repr(rows)
    assert rows[0][-3] == "出生年份"
    for m in h.members.all():
        full = crypto.decrypt(m.id_enc)
        shown = next(x for x in data["members"] if x["id"] == m.pk)
        for text in (page, repr(data), export):
            assert full not in text
            for form in (m.birth_date.isoformat(), f"{m.birth_date:%Y%m%d}", f"{m.birth_date:%Y-%m}"):
                assert form not in text, (role, form)
        assert shown["birth_date"] is None and shown["birth_year"] == m.birth_date.year
        # the reviewer's reconstruction: prefix + county from the village code + birth date + the mask's tail
        masked = shown["id_number"]
        reviewer = masked[:4] + h.village_id[4:6] + f"{m.birth_date.year}0101" + masked[14:]
        assert reviewer != full and "*" in reviewer
        # a brute force over everything shown: the true number is one of thousands
        candidates = _candidates(masked, h.village_id, shown["birth_year"])
        assert full in candidates and len(candidates) > 2000, len(candidates)


def test_a_role_with_the_right_still_gets_the_birth_date(world, client_for, api_for) -> None:
    h = world.households["h1"]
    m = h.members.first()
    data = api_for(world.t1).get(f"/api/v1/registry/households/{h.pk}").json()
    shown = next(x for x in data["members"] if x["id"] == m.pk)
    assert shown["birth_date"] == m.birth_date.isoformat() and shown["birth_year"] == m.birth_date.year
    page = client_for(world.t1).get(f"/registry/households/{h.pk}/").content.decode()
    assert f"{m.birth_date:%Y-%m}" in page
    resp = client_for(world.t1).get("/registry/households/export.xlsx?full_id=1")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_name("成员").to_python()
    assert rows[0][-3] == "出生日期" and m.birth_date.isoformat() in repr(rows)
    # another township's officer (with the right elsewhere) sees nothing of this household
    assert api_for(world.t2).get(f"/api/v1/registry/households/{h.pk}").status_code == 404


def test_stored_masks_of_the_old_form_are_rewritten(world) -> None:
    """registry 0005 / casework 0005: masks stored the old way (county + birth date hidden) are re-masked."""
    import importlib

    from django.apps import apps

    from bangfu.casework.models import Case, PublicNotice
    from bangfu.registry.models import Member

    m = world.households["h1"].members.first()
    full = crypto.decrypt(m.id_enc)
    old = full[:4] + "*" * 10 + full[-4:]
    Member.objects.filter(pk=m.pk).update(id_masked=old)
    case = Case.objects.create(
        village_id=world.v1a.code,
        source="self",
        summary="x",
        state="lead",
        state_since=timezone.localdate(),
        opened_on=timezone.localdate(),
        reporter_id_masked=old,
    )
    notice = PublicNotice.objects.create(
        case=case,
        kind="identify",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        place="村委会",
        title="公示",
        body=f"户主：张三　身份证号：{old}　家庭人口：3人",
    )
    importlib.import_module("bangfu.registry.migrations.0005_remask_ids").forwards(apps, None)
    importlib.import_module("bangfu.casework.migrations.0005_remask_ids").forwards(apps, None)
    new = full[:4] + "*" * 12 + full[-2:]
    assert Member.objects.get(pk=m.pk).id_masked == new
    assert Case.objects.get(pk=case.pk).reporter_id_masked == new
    assert PublicNotice.objects.get(pk=notice.pk).body == f"户主：张三　身份证号：{new}　家庭人口：3人"
    other = world.households["h2"].members.first()
    assert Member.objects.get(pk=other.pk).id_masked == other.id_masked  # already current: untouched
