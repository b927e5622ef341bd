"""The standard Excel reports: what each contains, ID numbers masked unless the role allows, and the
access trio (the area's officer downloads; t2 and gw2 get 404 and nothing is written)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.analytics import services as analytics
from bangfu.casework import services as casework
from bangfu.core.domain.credit_code import make
from bangfu.core.models import AuditEvent, Job, PiiView
from bangfu.employment import services as employment
from bangfu.employment.inputs import policy_input
from bangfu.employment.tests.conftest import POLICY
from bangfu.insurance import services as insurance
from bangfu.insurance.tests.helpers import YEAR, scheme, submit, to_approved
from bangfu.market import services as market
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db
TITLES = {
    "monitored": "监测对象花名册",
    "measures": "帮扶措施台账",
    "eliminated": "风险消除名单",
    "claims": "防贫保理赔台账",
    "relocation": "易地搬迁就业台账",
    "enterprises": "经营主体与销售汇总",
}


def sheet(content: bytes, key: str) -> list[list[Any]]:
    """The table of a report: its header row and data, below the title lines and the blank line."""
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(TITLES[key]).to_python()
    blank = next(i for i, r in enumerate(rows) if not any(str(v).strip() for v in r))
    return rows[blank + 1 :]


def title_lines(content: bytes, key: str) -> list[str]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(TITLES[key]).to_python()
    return [str(r[0]) for r in rows[: next(i for i, r in enumerate(rows) if not any(str(v).strip() for v in r))]]


@pytest.fixture
def ledgers(county):
    """county + a measure on h2's case, a paid claim of h1, story A's policy with h4 relocated to a
    site in V1b, and an enterprise of V1a with a livestream sale this year."""
    w = county
    today = timezone.localdate()
    casework.measure_add(
        actor=w.t1, case=w.case, category="health", title="大病救助", responsible="李四", starts_on=today, amount="3000"
    )
    s = scheme(w.county, w.area_county.code)
    insurance.premium_record(actor=w.county, scheme_id=s.pk, persons=100, received_on=dt.date(YEAR, 1, 5))
    claim = to_approved(w, submit(w.gw1, w.households["h1"].pk))
    insurance.claim_pay(actor=w.insurer, claim_id=claim.pk, reference="TB1", paid_on=dt.date(YEAR, 4, 3))
    employment.policy_set(
        actor=w.county, area_code=w.area_county.code, policy=policy_input(POLICY | {"effective_from": "2020-01-01"})
    )
    site = registry.site_create(
        actor=None, area_code=w.v1b.code, name="雪口山乡集中安置点", kind="town", planned_households=10
    )
    registry.household_set_relocation(household=w.households["h4"], site=site, moved_on=dt.date(2020, 1, 1))
    e = market.enterprise_create(
        actor=None, name="雪口山特产合作社", kind="cooperative", credit_code=make("93", "511133", "MA6XYW001"),
        area_code=w.v1a.code, leader="阿说",
    )  # fmt: skip
    p = market.product_create(
        actor=None, enterprise=e, name="苦荞茶", category="茶叶", unit="jin", price=Decimal("20"), price_from=today
    )
    market.sale_record(
        actor=None, product=p, day=today, channel="livestream", quantity=Decimal("5"), amount=Decimal("100"),
        platform="抖音", from_stock=False,
    )  # fmt: skip
    return w


def get(client: Any, key: str, area: str, year: int | None = None) -> Any:
    return client.get(f"/reports/{key}.xlsx?area={area}&year={year or timezone.localdate().year}")


def test_measure_ledger_masks_unless_the_role_may_see_ids(ledgers, client_for):
    w = ledgers
    rows = sheet(get(client_for(w.auditor), "measures", w.area_county.code).content, "measures")
    assert rows[0][:4] == ["户编号", "村", "户主", "户主身份证号"] and len(rows) == 2
    assert rows[1][0] == w.households["h2"].number and "*" in rows[1][3] and rows[1][5] == "大病救助"
    assert not PiiView.objects.exists()
    full = sheet(get(client_for(w.county), "measures", w.area_county.code).content, "measures")
    assert len(str(full[1][3])) == 18 and "*" not in str(full[1][3])
    assert PiiView.objects.filter(actor=w.county).count() == 1


def test_elimination_list_is_of_the_year(ledgers, client_for):
    w = ledgers
    rows = sheet(get(client_for(w.t1), "eliminated", w.area_t1.code).content, "eliminated")
    assert [r[0] for r in rows[1:]] == [w.households["h4"].number]
    last_year = sheet(
        get(client_for(w.t1), "eliminated", w.area_t1.code, timezone.localdate().year - 1).content, "eliminated"
    )
    assert last_year[1:] == []


def test_claims_ledger_names_the_household_and_the_payment(ledgers, client_for):
    """A ledger an insurer can reconcile (UX review P6): household number, head, ID (the roster's rule
    for the role), village and township, cause and status as words, the payout."""
    h1 = ledgers.households["h1"]
    rows = sheet(get(client_for(ledgers.t1), "claims", ledgers.area_t1.code, YEAR).content, "claims")
    assert len(rows) == 2
    number, head, id_shown, village, town = rows[1][2:7]
    assert (number, head, village, town) == (h1.number, h1.head_name, "羊店儿村", "雪口山乡")
    assert len(str(id_shown)) == 18
    assert Decimal(str(rows[1][10])) == Decimal("8120")
    assert all(not str(cell).isascii() for cell in rows[1][7:9])  # cause and status as Chinese words


def test_relocation_ledger_and_enterprise_summary(ledgers, client_for):
    w = ledgers
    reloc = sheet(get(client_for(w.t1), "relocation", w.area_t1.code).content, "relocation")
    assert reloc[1][0] == "雪口山乡集中安置点" and reloc[1][1] == w.households["h4"].number
    # h4's members were born in 1962 (conftest): past working age, so out of the denominator
    assert reloc[1][4] == "否" and reloc[1][6] == "—"
    ent = sheet(get(client_for(w.county), "enterprises", w.area_county.code).content, "enterprises")
    assert ent[1][0] == "雪口山特产合作社" and ent[1][5] == 100 and ent[1][9] == 100  # 直播带货 column


@pytest.mark.parametrize("key", list(TITLES))
def test_access_trio_on_every_report(ledgers, client_for, key):
    w = ledgers
    own = get(client_for(w.t1), key, w.area_t1.code, YEAR if key == "claims" else None)
    assert own.status_code == 200 and own["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(sheet(own.content, key)) >= 2  # the officer's own area has rows in every report
    before = (PiiView.objects.count(), AuditEvent.objects.count())
    assert get(client_for(w.t2), key, w.area_t1.code).status_code == 404
    assert get(client_for(w.gw2), key, w.area_t1.code).status_code == 404
    assert get(client_for(w.gw2), key, w.v1a.code).status_code == 404
    assert (PiiView.objects.count(), AuditEvent.objects.count()) == before  # outsiders leave no trace


def test_a_bad_year_or_report_is_explained(ledgers, client_for):
    client = client_for(ledgers.county)
    bad = client.get("/reports/measures.xlsx?year=20x5")
    assert bad.status_code == 400 and "四位数字" in bad.content.decode()  # one language at a time
    english = client.get("/reports/measures.xlsx?year=20x5", headers={"accept-language": "en"})
    assert english.status_code == 400 and "four digits" in english.content.decode()
    assert client.get("/reports/nothing.xlsx").status_code == 404
    page = client.get("/reports/").content.decode()
    assert all(f'data-report="{k}"' in page for k in TITLES)


# A report over a large area is built by `bangfu worker` (a job), not inside the web request; the
# user who asked downloads it from the job page, and nobody else sees it.


@pytest.fixture
def background(settings):
    settings.BANGFU_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_large_areas_report_is_a_job_the_owner_downloads(
    ledgers, client_for, api_for, background, django_capture_on_commit_callbacks
):
    w = ledgers
    analytics.indicators_refresh()  # the cache says how many households the county holds
    c = client_for(w.county)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get(f"/reports/measures.xlsx?area={w.area_county.code}")
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/" and job.status == "done"
    d = c.get(f"/jobs/{job.pk}/download")
    assert d.status_code == 200 and d["Cache-Control"] == "no-store"
    rows = sheet(d.content, "measures")
    assert any("大病救助" in str(cell) for row in rows for cell in row)  # the ledger's one measure is in it
    for other in (w.t2, w.gw2):
        assert client_for(other).get(f"/jobs/{job.pk}/download").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        a = api_for(w.county).get(f"/api/v1/analytics/reports/claims.xlsx?area={w.area_county.code}")
    assert a.status_code == 202 and Job.objects.get(pk=a.json()["id"]).status == "done"


def test_a_small_area_or_an_empty_cache_stays_immediate(ledgers, client_for, background):
    """Without cached figures the size is unknown (0): the request builds it, as before."""
    r = client_for(ledgers.county).get(f"/reports/measures.xlsx?area={ledgers.area_county.code}")
    assert r.status_code == 200 and not Job.objects.exists()


def test_every_report_opens_with_its_title_the_reporting_unit_and_the_date(ledgers, client_for):
    """Review P8/#16: an office files a table under its title, 填报单位 and 制表日期; the table follows."""
    w = ledgers
    year = timezone.localdate().year
    for key, title in TITLES.items():
        content = get(client_for(w.t1), key, w.area_t1.code, year).content
        assert title_lines(content, key) == [
            f"{title}（{year}年）",
            "填报单位：雪口山乡",
            f"制表日期：{timezone.localdate().isoformat()}",
        ], key
        assert sheet(content, key)[0][0] != ""  # the header row follows the blank line
