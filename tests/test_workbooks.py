"""Every workbook a page hands out round-trips (issue #16, UX review P1 and P8).

The workbook routes are read from the URL conf (a route ending in `.xlsx`, or named template, export
or download), so a new one fails `test_every_workbook_route_has_a_round_trip` until it is listed here.

- A **template** is downloaded from its page by the role that imports it, opens on its data sheet (the
  dropdown values' `_lists` sheet hidden and last), is filled in the way a person would (openpyxl, saved
  as Excel saves it; `bangfu.testing.fill_template`) and imported back through its page.
- An **export** is downloaded by a role that sees it, from the demo county: it opens on its data sheet,
  any `_lists` sheet is hidden and last, and no cell holds an internal code (a value of a model's
  choices, a snake_case word, a `visit:15` reference) where a person reads a label.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bangfu.testing import code_values, fill_template, new_id_number, upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
SOURCE_REF = re.compile(r"\b[a-z_]+:\d+\b")
WORD = re.compile(r"\b[A-Za-z][A-Za-z_]+\b")


# --- which routes hand out a workbook ------------------------------------------------------------------


def _routes(patterns: list[URLPattern | URLResolver], ns: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, p.namespace or ns, prefix + str(p.pattern))
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name, prefix + str(p.pattern)


def workbook_routes() -> set[str]:
    """The page routes (not the API's) that answer with a workbook."""
    return {
        name
        for name, route in _routes(get_resolver().url_patterns)
        if not name.startswith(("api:", "admin:"))
        and (route.endswith(".xlsx") or re.search(r"template|export|download", name.split(":")[-1]))
    }


# --- what every workbook handed out must be --------------------------------------------------------------


def opened(response: Any, data_sheet: str | None = None) -> openpyxl.Workbook:
    """The workbook of a download: it opens on its data sheet; a dropdown sheet is hidden and last."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(XLSX)
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert wb.active.title == (data_sheet or visible[0]) and wb.active.sheet_state == "visible"
    if "_lists" in wb.sheetnames:
        assert wb["_lists"].sheet_state == "hidden" and wb.sheetnames[-1] == "_lists"
    return wb


# --- templates: downloaded, filled in, imported through their page ---------------------------------------


def _areas(world: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(world.county)
    template = opened(c.get(reverse("areas:import_template")), "区划")
    assert template.active.max_row == 1  # nothing to delete before filling it in
    rows = [{"区划代码": "511133300000", "名称": "新乡", "上级区划代码": world.area_county.code}]
    r = c.post(reverse("areas:import"), {"file": upload(fill_template(_bytes(template), rows))})
    assert r.status_code == 302, r.content.decode()[-2000:]
    from bangfu.areas.models import Area

    assert Area.objects.get(code="511133300000").name == "新乡"


def _grids(world: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(world.county)
    template = opened(c.get(reverse("areas:grid_import_template")), "网格")
    rows = [{"网格编号": "N1", "网格名称": "黎明村第一网格", "村代码": world.v1b.code}]
    r = c.post(reverse("areas:grid_import"), {"file": upload(fill_template(_bytes(template), rows))})
    assert r.status_code == 302, r.content.decode()[-2000:]
    from bangfu.areas.models import Grid

    assert Grid.objects.get(code="N1").village_id == world.v1b.code


def _people(world: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(world.county)
    template = opened(c.get(reverse("accounts:people_template")), "账号")
    rows = [{"用户名": "gw_new", "姓名": "新网格员", "角色": "网格员", "区划代码": world.v1b.code}]
    r = c.post(reverse("accounts:people_import"), {"file": upload(fill_template(_bytes(template), rows))})
    assert r.status_code == 200 and "已创建1个账号" in r.content.decode(), r.content.decode()[-2000:]


def _households(world: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(world.t1)
    template = opened(c.get(reverse("registry:import_template")), "农户")
    offered = _dropdown(template, "农户", "村代码")
    label = next(v for v in offered if v.endswith(f"({world.v1b.code})"))
    assert label == f"{world.area_t1.name} {world.v1b.name} ({world.v1b.code})"  # a name, not a bare code
    number = f"{world.v1b.code}901"
    filled = fill_template(_bytes(template), [{"户编号": number, "村代码": label, "脱贫户": "否"}])
    head = {"户编号": number, "姓名": "新户主", "身份证号": new_id_number(), "与户主关系": "户主"}
    r = c.post(reverse("registry:import"), {"file": upload(fill_template(filled, [head], sheet="成员"))})
    assert r.status_code == 302, r.content.decode()[-3000:]
    from bangfu.registry.models import Household

    household = Household.objects.get(number=number)
    assert household.village_id == world.v1b.code and household.head_name == "新户主"
    assert c.get(r["Location"]).content.decode().count(number) >= 1  # lands on what was imported


def _sites(world: Any, client_for: Callable[[Any], Client]) -> None:
    from bangfu.registry import services as registry
    from bangfu.registry.models import Household

    c = client_for(world.county)
    site = registry.site_create(actor=world.county, area_code=world.v1a.code, name="羊店儿安置点", kind="village")
    template = opened(c.get(reverse("registry:sites_template")), "搬迁户安置")
    h = world.households["h1"]
    label = next(v for v in _dropdown(template, "搬迁户安置", "安置点") if v.startswith(site.name))
    rows = [{"户编号": h.number, "安置点": label, "搬迁入住日期": "2024-06-01"}]
    r = c.post(reverse("registry:sites_import"), {"file": upload(fill_template(_bytes(template), rows))})
    assert r.status_code == 302, r.content.decode()[-2000:]
    assert Household.objects.get(pk=h.pk).relocation_site_id == site.pk


def _feeds(world: Any, client_for: Callable[[Any], Client]) -> None:
    """Each of the seven department feeds, uploaded by a data officer of its department."""
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.core import crypto
    from bangfu.monitoring.domain.feeds import ID, SPECS
    from bangfu.monitoring.models import FeedBatch

    registered = crypto.decrypt(world.households["h1"].members.first().id_enc)
    for kind, spec in SPECS.items():
        officer = accounts.user_create(username=f"dept_{kind}", password="x-dept-2026-pass", display_name=kind)
        accounts.membership_grant(
            user=officer, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation=spec.department
        )
        c = client_for(officer)
        template = opened(c.get(reverse("monitoring:feed_template", args=[kind])), spec.zh)
        day = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
        row: dict[str, Any] = {ID: registered, spec.date_column: day}  # a member of the county, last month
        # typed as numbers, as Excel keeps them; the reimbursements stay within the total cost
        row |= {column: 5000 if i == 0 else 100 for i, column in enumerate(spec.amounts)}
        row |= {column: values[0] for column, values in spec.choices.items()}
        r = c.post(
            reverse("monitoring:feed_list"),
            {"kind": kind, "period": "2026-03", "file": upload(fill_template(_bytes(template), [row]))},
        )
        assert r.status_code == 302, (kind, re.sub(r"<[^>]+>", " ", r.content.decode())[-1500:])
        assert FeedBatch.objects.get(kind=kind).rows == 1


TEMPLATES: dict[str, Callable[[Any, Callable[[Any], Client]], None]] = {
    "areas:import_template": _areas,
    "areas:grid_import_template": _grids,
    "accounts:people_template": _people,
    "registry:import_template": _households,
    "registry:sites_template": _sites,
    "monitoring:feed_template": _feeds,
}


def _bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _dropdown(wb: openpyxl.Workbook, sheet: str, column: str) -> list[str]:
    """The values a person is offered in `column` of `sheet` (its list validation, read from `_lists`)."""
    ws = wb[sheet]
    letter = next(c.column_letter for c in ws[1] if c.value == column)
    for dv in ws.data_validations.dataValidation:
        if any(str(r).startswith(letter) for r in dv.sqref.ranges):
            target, cells = dv.formula1.lstrip("=").split("!")
            return [str(c[0].value) for c in wb[target][cells.replace("$", "")]]
    raise AssertionError(f"{column} has no dropdown")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_round_trips_through_its_page(name: str, world: Any, client_for: Any) -> None:
    TEMPLATES[name](world, client_for)


# --- exports: downloaded from the demo county, read as a person reads them -------------------------------


def _raw_codes(wb: openpyxl.Workbook, codes: set[str], allowed: set[str]) -> list[str]:
    found: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if not isinstance(value, str) or value in allowed:
                    continue
                hits = SNAKE.findall(value) + SOURCE_REF.findall(value) + [w for w in WORD.findall(value) if w in codes]
                found += [f"{ws.title}: {h!r} in {value!r}" for h in hits if h not in allowed]
    return found


def _admin_of(area_code: str) -> Any:
    from bangfu.accounts.domain.roles import Role
    from bangfu.accounts.models import User

    return User.objects.filter(
        memberships__role=Role.COUNTY_ADMIN, memberships__area_id=area_code[:6].ljust(12, "0")
    ).first()


def _exports() -> Iterator[tuple[str, Any, str]]:
    """(route name, user, url) of every export of the demo, as a role that sees its rows."""
    from bangfu.analytics.reports import REPORTS
    from bangfu.insurance.models import Scheme
    from bangfu.market.models import Enterprise

    admin = _admin_of(_county_of_demo())
    yield "registry:export", admin, reverse("registry:export")
    yield "accounts:audit_export", admin, reverse("accounts:audit_export")
    yield "analytics:report_monitored", admin, reverse("analytics:report_monitored") + "?year=2026"
    for key in REPORTS:
        yield "analytics:report", admin, reverse("analytics:report", args=[key]) + "?year=2026"
    for scheme in Scheme.objects.order_by("pk")[:2]:
        yield "insurance:fund_export", _admin_of(scheme.county_id), reverse("insurance:fund_export", args=[scheme.pk])
    for enterprise in Enterprise.objects.order_by("pk")[:2]:
        who = _admin_of(enterprise.area_id)
        yield "market:enterprise_sales_xlsx", who, reverse("market:enterprise_sales_xlsx", args=[enterprise.pk])
        yield "market:sales_xlsx", who, reverse("market:sales_xlsx") + "?year=2026"


@pytest.mark.django_db
def test_every_export_opens_on_its_data_and_shows_labels_not_codes(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call_command("demo", households=20, stdout=open(os.devnull, "w"))  # noqa: SIM115  (every kind of row, fewer)
    from bangfu.accounts.models import User

    codes = code_values()
    allowed = set(User.objects.values_list("username", flat=True))
    report: list[str] = []
    seen: set[str] = set()
    for name, user, url in _exports():
        client = Client()
        client.force_login(user, backend="bangfu.accounts.sessions.AccountBackend")
        try:
            wb = opened(client.get(url))
            if name == "registry:export":
                assert wb.active.max_row > 1, "no data rows"
            report += [f"{url}: {p}" for p in _raw_codes(wb, codes, allowed)[:5]]
        except AssertionError as e:
            report.append(f"{url}: {e}")
        seen.add(name)
    # A large export is built by the worker (run here at once) and downloaded from its job page.
    settings.BANGFU_BACKGROUND_ROWS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = Client()
    client.force_login(_admin_of(_county_of_demo()), backend="bangfu.accounts.sessions.AccountBackend")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("registry:export"))
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    wb = opened(client.get(r["Location"] + "download"))
    report += [f"the export job: {p}" for p in _raw_codes(wb, codes, allowed)[:5]]
    seen.add("core:job_download")
    expected = workbook_routes() - set(TEMPLATES) - set(ROUND_TRIPS_ELSEWHERE)
    assert seen == expected, f"exports not downloaded: {expected - seen}"
    assert not report, f"{len(report)} problems in exports:\n" + "\n".join(report)


def _county_of_demo() -> str:
    from bangfu.registry.models import Household

    return str(Household.objects.order_by("pk").first().village_id)


# Workbooks whose round trip (template) or check (export: data sheet first, labels not codes, lists
# hidden) lives with their app's tests, for the fixtures they need.
ROUND_TRIPS_ELSEWHERE = {
    "employment:payroll_template": (
        "bangfu.employment.tests.test_payroll_sheet",
        "test_excel_round_trip_fills_the_month",
    ),
    "monitoring:warning_export": (
        "bangfu.monitoring.tests.test_warning_list",
        "test_search_sorting_chips_and_the_export",
    ),
}


def test_every_workbook_route_has_a_round_trip() -> None:
    """A new template or export route fails here until it is downloaded (and imported) above or by a
    named test of its app."""
    import importlib

    for module, test in ROUND_TRIPS_ELSEWHERE.values():
        assert callable(getattr(importlib.import_module(module), test, None)), f"{module}.{test} is gone"
    exported = {
        "registry:export",
        "accounts:audit_export",
        "analytics:report_monitored",
        "analytics:report",
        "insurance:fund_export",
        "market:enterprise_sales_xlsx",
        "market:sales_xlsx",
        "core:job_download",
    }
    assert workbook_routes() == set(TEMPLATES) | exported | set(ROUND_TRIPS_ELSEWHERE)
