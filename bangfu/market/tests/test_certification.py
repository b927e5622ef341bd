"""Certification of support products through its steps: 主体申请 → 镇办初审 → 行业复审 → 县级审定.

Each step is taken by its office (the enterprise, the township of the enterprise, the sector bureau the
township named, the county), refused to the wrong role (403) and to the offices of other areas (404),
and a refusal changes nothing: the state, the step rows and the audit trail stay as they were."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.core.domain.credit_code import make
from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.core.models import AuditEvent
from bangfu.market import selectors, services
from bangfu.market.models import Certification, CertificationEvent
from bangfu.market.tests.conftest import new_product, sector_officer
from bangfu.testing import account

pytestmark = pytest.mark.django_db
API = "/api/v1/market"


@dataclass
class Offices:
    market: Any
    product: Any  # 花椒 of the T1 co-operative, not yet applied for
    agri: Any  # the county's agriculture bureau (sector review)
    culture: Any  # the county's culture and tourism bureau: not the bureau the township names below
    far_agri: Any  # the agriculture bureau of another county
    far_county: Any  # the administrator of another county


@pytest.fixture
def offices(market: Any) -> Offices:
    w = market.world
    other = areas.area_create(code="511134000000", name="另一县", parent_code="511100000000")
    p = new_product(market.enterprise, "花椒", "调味品", Decimal("60"), market.today)
    return Offices(
        market,
        p,
        agri=sector_officer("agri", w.area_county.code),
        culture=sector_officer("culture", w.area_county.code, "文化和旅游局"),
        far_agri=sector_officer("far_agri", other.code),
        far_county=account("far_county", Role.COUNTY_ADMIN, other.code),
    )


def step(user: Any, c: Any, decision: str, **kw: Any) -> Any:
    return services.certification_decide(actor=user, certification=c, decision=decision, **kw)


def snapshot(c: Any) -> tuple[str, int, int]:
    return (
        Certification.objects.get(pk=c.pk).state,
        CertificationEvent.objects.filter(certification=c).count(),
        AuditEvent.objects.count(),
    )


def test_full_path_through_all_steps(offices):
    o, m, w = offices, offices.market, offices.market.world
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    step(w.t1, c, "pass", sector="agriculture", note="材料齐全")
    step(o.agri, c, "pass", note="检测合格")
    c = step(w.county, c, "certify", number="BF-20", on=m.today)
    assert (c.state, c.sector, c.number, c.valid_from) == ("certified", "agriculture", "BF-20", m.today)
    rows = list(c.events.order_by("pk").values_list("from_state", "to_state", "actor__username", "note"))
    assert rows == [
        ("", "applied", "coop_owner", ""),
        ("applied", "township_ok", "t1", "材料齐全"),
        ("township_ok", "sector_ok", "agri", "检测合格"),
        ("sector_ok", "certified", "county", ""),
    ]
    audit = AuditEvent.objects.filter(object_id=str(c.pk), action__startswith="certification_")
    assert list(audit.order_by("pk").values_list("action", "actor__username")) == [
        ("certification_apply", "coop_owner"),
        ("certification_pass", "t1"),
        ("certification_pass", "agri"),
        ("certification_certify", "county"),
    ]
    assert o.product.pk in [i.product.pk for i in selectors.catalogue()]
    [view] = selectors.certifications_of_product(m.owner, o.product.pk)
    labels = [s.label for s in view.steps]
    assert labels == ["主体申请", "镇办初审通过", "行业复审通过", "县级审定认定"] and view.allowed == []


def _refused(c: Any, decision: str, wrong_role: list[Any], elsewhere: list[Any], **kw: Any) -> None:
    before = snapshot(c)
    for user in wrong_role:
        with pytest.raises(Forbidden):
            step(user, c, decision, **kw)
    for user in elsewhere:
        with pytest.raises(NotFound):
            step(user, c, decision, **kw)
    assert snapshot(c) == before


def test_each_step_refused_to_the_wrong_role_and_to_other_areas(offices):
    o, m, w = offices, offices.market, offices.market.world
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    # 镇办初审: t1 only. The county and the village see it but do not review for the township; the
    # bureaus see nothing until the township names one.
    township_kw = {"sector": "agriculture"}
    _refused(c, "pass", [w.county, w.v1, m.owner], [w.t2, w.gw2, m.rival, o.agri, o.far_county], **township_kw)
    step(w.t1, c, "pass", **township_kw)
    # 行业复审: the named bureau of the county only; another bureau and another county's see nothing.
    _refused(c, "pass", [w.t1, w.county, m.owner], [w.t2, w.gw2, o.culture, o.far_agri, o.far_county])
    step(o.agri, c, "pass")
    # 县级审定: the county administrator only.
    kw = {"number": "BF-21"}
    _refused(c, "certify", [w.t1, o.agri, m.owner, w.v1], [w.t2, w.gw2, m.rival, o.far_county, o.culture], **kw)
    assert step(w.county, c, "certify", **kw).state == "certified"


def test_county_cannot_certify_before_both_reviews(offices):
    o, m, w = offices, offices.market, offices.market.world
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    for reached, reviewer in (("applied", "企业所在乡镇"), ("township_ok", "行业主管部门")):
        before = snapshot(c)
        with pytest.raises(Conflict) as refused:
            step(w.county, c, "certify", number="X")
        assert refused.value.code == "invalid_step" and refused.value.status == 409
        assert "行业复审通过·待县级审定" in refused.value.zh and "sector review passed" in refused.value.en
        with pytest.raises(Forbidden) as wrong:  # nor reject it: at this stage that is the reviewer's call
            step(w.county, c, "reject", note="材料不全")
        assert reviewer in wrong.value.zh
        assert snapshot(c) == before and before[0] == reached
        if reached == "applied":
            step(w.t1, c, "pass", sector="agriculture")


def test_send_back_returns_it_to_the_enterprise_with_the_reason(offices):
    o, m, w = offices, offices.market, offices.market.world
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    with pytest.raises(ValidationFailed) as missing:
        step(w.t1, c, "return")  # a send-back says why
    assert missing.value.problems[0].field == "note"
    step(w.t1, c, "pass", sector="agriculture")
    step(o.agri, c, "return", note="请补充原料收购协议")
    [view] = selectors.certifications_of_product(m.owner, o.product.pk)
    assert view.certification.state == "returned" and view.reason == "请补充原料收购协议"
    assert view.waiting_for == "申请主体" and [t.event for t in view.allowed] == ["resubmit"]
    assert [c.pk for c in selectors.certifications_pending(m.owner)] == [c.pk]  # in the enterprise's queue
    assert selectors.certifications_pending(w.county) == []  # … not in the county's
    with pytest.raises(Conflict) as again:
        services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    assert "重新提交" in again.value.zh
    with pytest.raises(Forbidden):
        step(w.t1, c, "resubmit")
    step(m.owner, c, "resubmit")
    # corrected material goes through both reviews again
    assert Certification.objects.get(pk=c.pk).state == "applied"
    step(w.t1, c, "reject", note="非本镇生产")
    [view] = selectors.certifications_of_product(m.owner, o.product.pk)
    assert (view.certification.state, view.reason, view.allowed) == ("rejected", "非本镇生产", [])
    services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)  # a closed one allows a new


def test_township_names_a_bureau_and_decisions_are_checked(offices):
    o, m, w = offices, offices.market, offices.market.world
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    before = snapshot(c)
    for bad in ({}, {"sector": "医保"}):
        with pytest.raises(ValidationFailed) as refused:
            step(w.t1, c, "pass", **bad)
        assert refused.value.problems[0].field == "sector"
    with pytest.raises(ValidationFailed) as unknown:
        step(w.t1, c, "approve")
    assert unknown.value.problems[0].field == "decision"
    assert snapshot(c) == before
    step(w.t1, c, "pass", sector="culture_tourism")
    assert [x.pk for x in selectors.certifications_pending(o.culture)] == [c.pk]
    assert selectors.certifications_pending(o.agri) == []
    with pytest.raises(NotFound):
        selectors.certification_get(o.agri, c.pk)


def test_enterprise_above_township_level_is_first_reviewed_by_the_county(offices):
    m, w = offices.market, offices.market.world
    e = services.enterprise_create(
        actor=None,
        name="县城电商中心",
        kind="company",
        credit_code=make("91", "511133", "MA6XYW003"),
        area_code=w.area_county.code,
        leader="李四",
    )
    p = services.product_create(
        actor=None, enterprise=e, name="土豆", category="蔬菜", unit="kg", price=Decimal("3"), price_from=m.today
    )
    c = services.certification_apply(actor=None, product=p, applied_on=m.today)
    with pytest.raises(NotFound):
        step(w.t1, c, "pass", sector="agriculture")  # no township covers it
    assert step(w.county, c, "pass", sector="agriculture").state == "township_ok"


def test_migration_keeps_pending_applications_at_the_township_review(offices):
    """0002 adds a step row (applied → applied) to each pending application; 0005 names the event of
    every row from its two states (the 0002 ones: "adjust"). 0002's function wrote the columns before
    0005 renamed them, so the row is created here as 0002 leaves it and 0005's function names it."""
    m = offices.market
    c = Certification.objects.create(product=offices.product, applied_on=m.today)  # as the old procedure left it
    CertificationEvent.objects.create(certification=c, to_state="applied")
    done = Certification.objects.get(product=m.product)  # certified before: untouched
    migration = import_module("bangfu.market.migrations.0002_certification_reviews")
    CertificationEvent.objects.create(certification=c, from_state="applied", to_state="applied", note=migration.NOTE)
    import_module("bangfu.market.migrations.0005_steplog").name_events(django_apps, None)
    c.refresh_from_db()
    assert [e.event for e in c.events.all()] == ["apply", "adjust"]
    assert c.state == "applied" and c.events.count() == 2
    [view] = selectors.certifications_of_product(m.owner, offices.product.pk)
    assert view.steps[-1].label == "流程调整" and "镇办初审" in view.steps[-1].note
    assert view.waiting_for == "企业所在乡镇（街道）"
    assert Certification.objects.get(pk=done.pk).state == "certified" and done.events.count() == 4
    # backwards: the one-step procedure knows only "applied" for an open application
    Certification.objects.filter(pk=c.pk).update(state="sector_ok")
    migration.reviewed_back_to_applied(django_apps, None)
    assert Certification.objects.get(pk=c.pk).state == "applied" and c.events.count() == 1


# --- pages ----------------------------------------------------------------------------------------


def test_pages_show_the_steps_and_offer_only_the_next_step_of_the_viewer(offices, client_for):
    o, m, w = offices, offices.market, offices.market.world
    for outsider in (w.t2, w.gw2, m.rival):
        assert client_for(outsider).post(f"/market/products/{o.product.pk}/certify/").status_code in (403, 404)
    assert not o.product.certifications.exists()
    client_for(m.owner).post(f"/market/products/{o.product.pk}/certify/")
    c = o.product.certifications.get()
    detail = f"/market/certifications/{c.pk}/"
    decide = f"/market/certifications/{c.pk}/decide/"

    def actions(user: Any) -> set[str]:
        html = client_for(user).get(detail).content.decode()
        return {
            a for a in ("pass", "return", "reject", "certify", "revoke", "resubmit") if f'data-action="{a}"' in html
        }

    assert actions(w.t1) == {"pass", "return", "reject"}
    assert actions(w.county) == actions(m.owner) == actions(w.v1) == set()
    assert "花椒" in client_for(w.t1).get("/market/").content.decode()  # the township's queue
    assert "花椒" not in client_for(w.county).get("/market/").content.decode()  # not the county's turn
    for outsider in (w.t2, w.gw2, m.rival, o.agri):
        assert client_for(outsider).get(detail).status_code == 404
        assert client_for(outsider).post(decide, {"decision": "pass", "sector": "agriculture"}).status_code in (
            403,
            404,
        )
    assert client_for(m.owner).post(decide, {"decision": "pass", "sector": "agriculture"}).status_code == 403
    c.refresh_from_db()
    assert c.state == "applied"
    r = client_for(w.t1).post(decide, {"decision": "pass", "sector": "agriculture", "note": "材料齐全"})
    assert r.status_code == 302 and r["Location"] == detail
    assert actions(w.t1) == set() and actions(o.agri) == {"pass", "return", "reject"}
    reviews = client_for(o.agri).get("/market/certifications/").content.decode()
    assert "花椒" in reviews and "待您办理" in reviews and "产品认定复审" in reviews  # nav entry of the bureau
    assert "花椒" not in client_for(o.culture).get("/market/certifications/").content.decode()
    client_for(o.agri).post(decide, {"decision": "pass"})
    assert actions(w.county) == {"certify", "return", "reject"} and actions(o.agri) == set()
    html = client_for(w.county).get(detail).content.decode()
    assert "镇办初审通过" in html and "行业复审通过" in html and "材料齐全" in html and "t1" in html
    client_for(w.county).post(decide, {"decision": "certify", "number": "BF-9"})
    c.refresh_from_db()
    assert c.state == "certified" and c.number == "BF-9"
    assert actions(w.county) == {"revoke"}
    assert "花椒" in Client().get("/market/catalogue/").content.decode()


def test_product_page_shows_where_the_application_stands(offices, client_for):
    o, m, w = offices, offices.market, offices.market.world
    page = f"/market/products/{o.product.pk}/"
    owner = client_for(m.owner)
    assert "申请认定为帮扶产品" in owner.get(page).content.decode()
    c = services.certification_apply(actor=m.owner, product=o.product, applied_on=m.today)
    html = owner.get(page).content.decode()
    assert "已申请·待镇办初审" in html and "申请认定为帮扶产品" not in html and "企业所在乡镇" in html
    step(w.t1, c, "return", note="请上传产品检测报告")
    html = owner.get(page).content.decode()
    assert "已退回" in html and "请上传产品检测报告" in html and 'value="resubmit"' in html
    for outsider in (w.t2, w.gw2, m.rival):
        assert client_for(outsider).get(page).status_code == 404
        r = client_for(outsider).post(f"/market/certifications/{c.pk}/decide/", {"decision": "resubmit"})
        assert r.status_code in (403, 404)
    assert Certification.objects.get(pk=c.pk).state == "returned"
    r = owner.post(f"/market/certifications/{c.pk}/decide/", {"decision": "resubmit", "back": "product"})
    assert r.status_code == 302 and r["Location"] == page
    html = owner.get(page).content.decode()
    assert "已申请·待镇办初审" in html and "修改后重新提交" in html and 'value="resubmit"' not in html


def test_certification_list_has_a_bounded_number_of_queries(offices, client_for):
    m, w = offices.market, offices.market.world

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client_for(w.t1).get("/market/certifications/").status_code == 200
        return len(q)

    services.certification_apply(actor=None, product=offices.product, applied_on=m.today)
    count()  # the first request reads the user's memberships (then cached per process: #18)
    one = count()
    for i in range(4):
        p = new_product(m.enterprise, f"干果{i}", "干果", Decimal("9"), m.today)
        services.certification_apply(actor=None, product=p, applied_on=m.today - dt.timedelta(days=i))
    assert count() == one


# --- API ------------------------------------------------------------------------------------------


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(API + url, data=json.dumps(body), content_type="application/json")


def test_api_walks_the_steps_with_the_access_trio(offices, api_for):
    o, m, w = offices, offices.market, offices.market.world
    r = _post(api_for(m.owner), f"/products/{o.product.pk}/certifications", {})
    assert r.status_code == 201 and r.json()["state"] == "applied"
    pk = r.json()["id"]
    row = next(x for x in api_for(w.t1).get(API + "/certifications").json() if x["id"] == pk)
    assert row["your_turn"] and row["waiting_for"] == "企业所在乡镇（街道）"
    assert api_for(w.t1).get(f"{API}/certifications/{pk}").json()["allowed"] == ["pass", "return", "reject"]
    assert api_for(w.county).get(f"{API}/certifications/{pk}").json()["allowed"] == []
    for outsider in (w.t2, w.gw2, o.far_county):
        api = api_for(outsider)
        assert api.get(f"{API}/certifications/{pk}").status_code == 404
        assert pk not in [x["id"] for x in api.get(API + "/certifications").json()]
        assert _post(
            api, f"/certifications/{pk}/decision", {"decision": "pass", "sector": "agriculture"}
        ).status_code in (403, 404)
    r = _post(api_for(w.county), f"/certifications/{pk}/decision", {"decision": "certify", "number": "X"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_step" and r.json()["message_en"]
    r = _post(api_for(m.owner), f"/certifications/{pk}/decision", {"decision": "pass", "sector": "agriculture"})
    assert r.status_code == 403
    assert Certification.objects.get(pk=pk).state == "applied"
    r = _post(api_for(w.t1), f"/certifications/{pk}/decision", {"decision": "return", "note": "缺检测报告"})
    assert r.status_code == 200 and r.json()["state"] == "returned" and r.json()["reason"] == "缺检测报告"
    seen = api_for(m.owner).get(f"{API}/certifications/{pk}").json()
    assert seen["allowed"] == ["resubmit"] and seen["steps"][-1]["note"] == "缺检测报告"
    steps = [
        (m.owner, {"decision": "resubmit"}),
        (w.t1, {"decision": "pass", "sector": "agriculture"}),
        (o.agri, {"decision": "pass"}),
        (w.county, {"decision": "certify", "number": "BF-30"}),
    ]
    for user, body in steps:
        r = _post(api_for(user), f"/certifications/{pk}/decision", body)
        assert r.status_code == 200, r.json()
    done = r.json()
    assert done["state"] == "certified" and done["number"] == "BF-30" and done["valid_from"] == str(m.today)
    assert [s["step"] for s in done["steps"]][-4:] == ["修改后重新提交", "镇办初审通过", "行业复审通过", "县级审定认定"]
    assert pk in [x["id"] for x in api_for(o.agri).get(API + "/certifications?state=closed").json()]
    assert api_for(w.t2).get(API + "/certifications?state=closed").json() == []
