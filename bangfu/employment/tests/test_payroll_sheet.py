"""The payroll page (UX review P7): a month's sheet of every worker saved at once from the grid or from
an Excel file, all rows or none, each problem beside its row and naming it; namesakes told apart; the
page opens on the latest month with payroll; the workshop page no longer carries the grid."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.employment.models import Payslip, TrainingCourse, TrainingRecord
from bangfu.employment.tests.conftest import Story, grid, hire, household
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db


def _couple(story: Story) -> tuple[Any, Any]:
    jishi, wife = registry.members_of(story.world.county, story.a.pk)[:2]
    return hire(story.world.t1, story, jishi), hire(story.world.t1, story, wife)


def test_one_save_enters_every_row_and_story_a_comes_to_the_fen(story: Story, client_for: Any) -> None:
    a, b = _couple(story)
    url = reverse("employment:payroll", args=[story.workshop.pk])
    sheet = grid(a, "2025-01", pieces="600") | grid(b, "2025-01", pieces="500")
    for outsider in (story.world.t2, story.stranger):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, sheet).status_code in (403, 404)
    assert not Payslip.objects.exists()
    done = client_for(story.enterprise).post(url, sheet)
    assert done.status_code == 302 and done["Location"].endswith("?month=2025-01#grid")
    assert Payslip.objects.get(contract=a).gross == Decimal("3000.00")  # 1,200 + 600 × 3.00
    assert Payslip.objects.get(contract=b).gross == Decimal("2700.00")
    page = client_for(story.enterprise).get(url).content.decode()  # opens on the latest month with payroll
    assert 'value="2025-01"' in page and "3,000.00" in page and "缝纫工底薪+计件" in page and ">SEW<" not in page


def test_one_bad_row_saves_nothing_and_is_named_beside_its_row(story: Story, client_for: Any) -> None:
    a, b = _couple(story)
    url = reverse("employment:payroll", args=[story.workshop.pk])
    sheet = grid(a, "2025-01", pieces="600") | grid(b, "2025-01", worked="abc")
    page = client_for(story.enterprise).post(url, sheet)
    html = page.content.decode()
    row = 1 + sorted([a, b], key=lambda c: c.member.name).index(b)
    assert page.status_code == 422 and not Payslip.objects.exists()
    assert f"第{row}行 {b.member.name}（{b.member.masked}）" in html and "不是整数" in html
    assert f'href="#row-{row}"' in html and " autofocus" in html
    assert 'value="abc"' in html and 'value="600"' in html  # what was typed stays
    english = client_for(story.enterprise)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = english.post(url, sheet).content.decode()
    assert f"Row {row}, {b.member.name}" in html and "no payroll for 2025-01 was saved" in html


def test_a_rule_broken_in_one_row_undoes_the_rows_before_it(story: Story, client_for: Any) -> None:
    a, b = _couple(story)
    url = reverse("employment:payroll", args=[story.workshop.pk])
    sheet = grid(a, "2025-01", pieces="600") | grid(b, "2025-01", scheduled="20", worked="25")
    assert client_for(story.enterprise).post(url, sheet).status_code == 422
    assert not Payslip.objects.exists()


def _filled(data: bytes, figures: dict[str, tuple[Any, Any]]) -> bytes:
    """The template as a person fills it in Excel (openpyxl writes numbers as numbers, as Excel does)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    # a lists sheet, when there is one, is hidden and last; the workbook opens on the payroll
    lists_ok = book.sheetnames[-1] == "_lists" and book["_lists"].sheet_state == "hidden"
    assert "_lists" not in book.sheetnames or lists_ok
    assert book.active.title == book.sheetnames[0] != "_lists"
    ws = book[book.sheetnames[0]]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        name = row[head.index("姓名")].value
        if name in figures:
            row[head.index("实际出勤天数")].value, row[head.index("计件数")].value = figures[name]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_round_trip_fills_the_month(story: Story, client_for: Any) -> None:
    a, b = _couple(story)
    ent = client_for(story.enterprise)
    template = ent.get(reverse("employment:payroll_template", args=[story.workshop.pk]), {"month": "2025-01"})
    assert template.status_code == 200
    assert client_for(story.world.t2).get(template.request["PATH_INFO"], {"month": "2025-01"}).status_code == 404
    upload = reverse("employment:payroll_import", args=[story.workshop.pk])

    def send(data: bytes, client: Any = ent) -> Any:
        return client.post(upload, {"month": "2025-01", "file": _xlsx(data)})

    bad = _filled(template.content, {a.member.name: (26, 600), b.member.name: (26, "六百")})
    refused = send(bad)
    assert refused.status_code == 422 and not Payslip.objects.exists() and "不是整数" in refused.content.decode()
    assert send(_filled(template.content, {a.member.name: (26, 600)}), client_for(story.stranger)).status_code == 404
    good = _filled(template.content, {a.member.name: (26, 600), b.member.name: (26, 500)})
    assert send(good).status_code == 302
    assert Payslip.objects.get(contract=a).gross == Decimal("3000.00")
    assert Payslip.objects.get(contract=b).gross == Decimal("2700.00")


def _xlsx(data: bytes) -> Any:
    f = io.BytesIO(data)
    f.name = "payroll.xlsx"
    return f


def test_namesakes_are_told_apart_and_a_name_alone_is_not_enough(story: Story, client_for: Any) -> None:
    world = story.world
    twins = [household(world.v1b, "俄底么么", dt.date(1990 + i, 1, 1)) for i in range(2)]
    contracts = [hire(world.t1, story, registry.members_of(world.county, h.pk)[0]) for h in twins]
    page = client_for(story.enterprise).get(reverse("employment:payroll", args=[story.workshop.pk]) + "?month=2025-01")
    html = page.content.decode()
    assert all(c.member.masked in html and c.household.number in html for c in contracts)
    course = _course(story, client_for)
    url = reverse("employment:trainee_add", args=[story.workshop.pk])
    ambiguous = client_for(world.t1).post(url, {"course": course, "worker": "俄底么么"})
    assert ambiguous.status_code == 422 and "有2位职工叫俄底么么" in ambiguous.content.decode()
    picked = f"俄底么么 {contracts[1].member.masked}"
    assert client_for(world.t2).post(url, {"course": course, "worker": picked}).status_code in (403, 404)
    assert client_for(world.t1).post(url, {"course": course, "worker": picked}).status_code == 302
    assert list(TrainingRecord.objects.values_list("member_id", flat=True)) == [contracts[1].member_id]


def _course(story: Story, client_for: Any) -> int:
    data = {
        "workshop": story.workshop.pk,
        "skill": "缝纫工",
        "provider": "湖州职校",
        "province": "浙江",
        "place": "湖州",
    }
    data |= {"start": "2024-07-01", "end": "2024-07-20", "hours": "80", "order_based": "on"}
    assert client_for(story.world.t1).post(reverse("employment:course_new"), data).status_code == 302
    return TrainingCourse.objects.latest("pk").pk


def test_the_workshop_page_links_to_payroll_instead_of_carrying_the_grid(story: Story, client_for: Any) -> None:
    a, _ = _couple(story)
    client_for(story.enterprise).post(
        reverse("employment:payroll", args=[story.workshop.pk]), grid(a, "2025-01", pieces="600")
    )
    html = (
        client_for(story.world.t1).get(reverse("employment:workshop_detail", args=[story.workshop.pk])).content.decode()
    )
    assert f'name="days_worked-{a.pk}"' not in html and reverse("employment:payroll", args=[story.workshop.pk]) in html
    assert "2025-01" in html and '<select name="member"' not in html and '<datalist id="worker-names">' in html
