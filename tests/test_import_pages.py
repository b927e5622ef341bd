"""Every page that takes a file (imports and feeds) works the same way (#17 "one form kit", #16 "forms
people can trust"): `core.views.form_post` with `core.views.uploaded`, and one report by row
(`_import_report.html`).

- no file chosen: 422, the problem beside the file field, and no report card repeating it;
- a file with a wrong row: 422, the report lists the row, and nothing is stored;
- no template but the one partial writes a table of problems by row.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

import bangfu
from bangfu.testing import fill_template, upload

pytestmark = pytest.mark.django_db


def _officer(world: Any) -> Any:
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role

    officer = accounts.user_create(username="dept_med", password="x-dept-2026-pass", display_name="医保")
    accounts.membership_grant(
        user=officer, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="医保局"
    )
    return officer


# page → (who uploads, its template's URL, extra form fields)
PAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "areas:import": ("county", "areas:import_template", {}),
    "areas:grid_import": ("county", "areas:grid_import_template", {}),
    "registry:import": ("county", "registry:import_template", {}),
    "registry:sites_import": ("county", "registry:sites_template", {}),
    "accounts:people_import": ("county", "accounts:people_template", {}),
    "monitoring:feed_list": ("officer", "", {"kind": "medical", "period": "2026-03"}),
}


def _client(world: Any, client_for: Any, who: str) -> Any:
    return client_for(_officer(world) if who == "officer" else world.users[who])


def _template(c: Any, name: str) -> bytes:
    url = reverse(name) if name else reverse("monitoring:feed_template", args=["medical"])
    r = c.get(url)
    assert r.status_code == 200, (name, r.status_code)
    return bytes(r.content)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_file_is_a_problem_beside_the_field_not_a_report(page: str, world: Any, client_for: Any) -> None:
    who, _template_name, extra = PAGES[page]
    c = _client(world, client_for, who)
    r = c.post(reverse(page), extra)
    html = r.content.decode()
    assert r.status_code == 422, (page, r.status_code)
    field = html.split('name="file"', 1)[1].split("</label>", 1)[0]
    assert "请选择要上传的文件" in _text(field), (page, field[:400])
    assert 'id="report"' not in html  # said once, where it is to be fixed


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_wrong_row_is_reported_by_row_and_nothing_is_stored(page: str, world: Any, client_for: Any) -> None:
    from django.apps import apps

    who, template_name, extra = PAGES[page]
    c = _client(world, client_for, who)
    data = _template(c, template_name)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    first = str(next(cell.value for cell in sheet[1] if cell.value))
    wrong = fill_template(data, [{first: "?#!"}])  # one row, its first column nonsense, the rest blank
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    r = c.post(reverse(page), {**extra, "file": upload(wrong)})
    html = r.content.decode()
    assert r.status_code == 422, (page, r.status_code, _text(html)[-800:])
    report = html.split('id="report"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<td class="num">2</td>', report), (page, _text(report)[:600])  # row 2, under the header
    changed = {k for k, n in counts.items() if apps.get_model(k).objects.count() != n}
    assert changed <= {"core.AuditEvent", "core.Job"}, (page, changed)


def test_only_the_one_partial_writes_a_table_of_problems_by_row() -> None:
    root = Path(bangfu.__file__).parent
    by_row = re.compile(r"\{% for p in (error\.)?problems %\}<tr>")
    writers = sorted(
        str(p.relative_to(root)) for p in root.rglob("templates/**/*.html") if by_row.search(p.read_text())
    )
    assert writers == ["core/templates/_import_report.html"], writers
