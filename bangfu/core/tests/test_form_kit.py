"""The form kit: `core.inputs` (parse at the edge, collect every problem), `core.views.form_post`
(call the service or show the page again with what was typed), and the `_field.html`/`_errors.html`
partials every app's forms use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from bangfu.core import inputs
from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, invalid
from bangfu.core.views import form_post, post_dict

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def _problem(fn, *args, **kw):
    with pytest.raises(ValidationFailed) as e:
        fn(*args, **kw)
    (p,) = e.value.problems
    assert p.zh and p.en and p.zh != p.en
    return p


# ---------------------------------------------------------------- core.inputs


def test_money_parses_text_and_keeps_typed_values():
    assert inputs.money("8,000.5", "amount") == Decimal("8000.50")
    assert inputs.money(Decimal("12.34"), "amount") == Decimal("12.34")
    assert inputs.money("", "amount", required=False) is None
    p = _problem(inputs.money, "  ", "paid")
    assert p.field == "paid" and p.zh == "请填写金额（元）"
    assert "two decimals" in _problem(inputs.money, "1.005", "amount").en
    assert _problem(inputs.money, "0", "amount", positive=True).zh.endswith("必须大于零")


def test_whole_refuses_fractions_and_blank_unless_optional():
    assert inputs.whole(" 12 ", "n") == 12
    assert inputs.whole("", "n", required=False) is None
    assert _problem(inputs.whole, "1.5", "n").field == "n"
    assert "请填写" in _problem(inputs.whole, "", "n", zh="天数", en="days").zh
    assert _problem(inputs.whole, "31", "days", high=30).en.endswith("between 0 and 30")


@pytest.mark.django_db
def test_date_not_future_by_default_and_in_the_window_with_future(today, settings):
    settings.BANGFU_FUTURE_DAYS = 366
    assert inputs.date("2026-06-15", "on") == TODAY
    p = _problem(inputs.date, "2026-06-16", "on", zh="走访日期", en="visit date")
    assert (p.zh, p.en) == ("走访日期不能晚于今天", "The visit date cannot be in the future")
    assert inputs.date("2026-12-31", "end", future=True) == dt.date(2026, 12, 31)
    assert "YYYY-MM-DD" in _problem(inputs.date, "15/06/2026", "on").en
    assert "between" in _problem(inputs.date, "1900-01-01", "on").en
    assert inputs.date("", "on", required=False) is None


def test_not_future_is_one_check_with_one_wording(today):
    assert inputs.not_future(TODAY, "paid_on") == TODAY
    p = _problem(inputs.not_future, TODAY + dt.timedelta(days=1), "paid_on", zh="支付日期", en="payment date")
    assert (p.field, p.zh) == ("paid_on", "支付日期不能晚于今天")


def test_text_code_choice():
    assert inputs.text("  a note ", "note", max_len=10) == "a note"
    assert "最多" in _problem(inputs.text, "x" * 11, "note", max_len=10).zh
    assert inputs.code("２３０２", "number", max_len=10, digits=True) == "2302"
    assert "不可见" in _problem(inputs.code, "23\u200b02", "number", max_len=10).zh
    assert inputs.choice("a", "kind", {"a": "甲", "b": "乙"}) == "a"
    assert inputs.choice("", "kind", {"a": "甲"}, required=False) == ""
    assert _problem(inputs.choice, "c", "kind", {"a": "甲", "b": "乙"}).zh == "请选择：甲、乙"


@pytest.mark.django_db
def test_problems_collects_every_problem_then_raises_once(today):
    with pytest.raises(ValidationFailed) as e, inputs.Problems() as p:
        amount = p.money("abc", "amount")
        day = p.date("2030-01-01", "on")
        n = p.whole("3", "n")
        note = p.text("ok", "note", max_len=5)
        assert (amount, day, n, note) == (None, None, 3, "ok")
    assert [x.field for x in e.value.problems] == ["amount", "on"]
    with inputs.Problems() as p:
        assert p.money("1", "amount") == Decimal("1.00")
    assert not p


def test_problems_keeps_a_service_error_without_fields_as_a_form_problem():
    p = inputs.Problems()

    def refuse() -> None:
        raise ValidationFailed([], zh="整体有误", en="wrong as a whole")

    p.check(refuse)
    assert [(x.field, x.zh) for x in p.items] == [("form", "整体有误")]


def test_invalid_names_the_field_and_says_it_twice():
    e = invalid("amount", "金额必须大于零", "The amount must be more than zero")
    assert e.status == 422 and e.problems[0].field == "amount" and e.zh == "金额必须大于零"


# ---------------------------------------------------------------- core.views


def _post(data: dict[str, str]):
    request = RequestFactory().post("/x/", data)
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_post_dict_strips_and_reads_absent_fields_as_blank():
    request = _post({"amount": " 12 ", "csrfmiddlewaretoken": "t"})
    assert post_dict(request, ["amount", "note"]) == {"amount": "12", "note": ""}
    assert post_dict(request) == {"amount": "12"}


def _form(request, run, **kw):
    return form_post(
        request,
        template="_form_kit_test.html",
        context={"title": "T"},
        run=run,
        done="已保存 Saved",
        then="/done/",
        fields=["amount", "note"],
        **kw,
    )


@pytest.fixture
def kit_template(tmp_path, settings):
    (tmp_path / "_form_kit_test.html").write_text(
        '{% load bangfu %}{% include "_errors.html" %}'
        '{% include "_field.html" with name="amount" label="金额" value=values|get:"amount" '
        'errs=errors|get:"amount" anchor=1 %}{{ form }}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]


def test_form_post_runs_the_service_and_goes_on(kit_template):
    seen = []
    r = _form(_post({"amount": " 5 "}), lambda v: seen.append(inputs.money(v["amount"], "amount")))
    assert r.status_code == 302 and r["Location"] == "/done/" and seen == [Decimal("5.00")]


def test_form_post_shows_the_problem_beside_the_field_and_keeps_what_was_typed(kit_template):
    r = _form(_post({"amount": "12.345"}), lambda v: inputs.money(v["amount"], "amount"))
    html = r.content.decode()
    assert r.status_code == 422
    assert 'value="12.345"' in html  # kept
    assert "最多两位小数" in html.split('id="field-amount"')[1].split("</label>")[0]  # beside its field
    assert 'role="alert"' in html  # the banner


def test_form_post_conflict_is_shown_in_place_with_its_status(kit_template):
    def run(values):
        raise Conflict("已存在", "already exists")

    r = _form(_post({"amount": "1"}), run)
    assert r.status_code == 409 and "已存在" in r.content.decode()


@pytest.mark.parametrize("error", [NotFound(), Forbidden("无权", "not allowed")])
def test_form_post_sends_403_and_404_to_the_error_pages(kit_template, error):
    def run(values):
        raise error

    with pytest.raises(type(error)):
        _form(_post({"amount": "1"}), run)


def test_form_post_get_shows_the_initial_values(kit_template):
    request = RequestFactory().get("/x/")
    r = _form(request, lambda v: None, initial={"amount": "7"})
    assert r.status_code == 200 and 'value="7"' in r.content.decode()


def test_form_post_then_may_be_a_function_of_the_result(kit_template):
    r = _form(_post({"amount": "1"}), lambda v: 41, form="pay")
    assert r.status_code == 302
    r = form_post(
        _post({}), template="_form_kit_test.html", context=dict, run=lambda v: 41, done=None,
        then=lambda n: HttpResponse(str(n + 1)),
    )  # fmt: skip
    assert r.content == b"42"


# ---------------------------------------------------------------- the partials


def test_field_partial_select_takes_pairs_or_plain_values_and_keeps_the_choice():
    html = render_to_string(
        "_field.html", {"name": "k", "label": "类", "options": ["", "甲", "乙"], "value": "乙", "errs": ["错"]}
    )
    assert '<option value="">—</option>' in html and '<option value="乙" selected>乙</option>' in html
    assert '<ul class="errorlist"><li>错</li></ul>' in html
    html = render_to_string(
        "_field.html", {"name": "k", "label": "类", "options": [(1, "一"), (2, "二")], "value": "2", "blank": 1}
    )
    assert '<option value="2" selected>二</option>' in html and html.count("<option") == 3


def test_errors_partials():
    exc = ValidationFailed([invalid("a", "甲错", "a wrong").problems[0]])
    assert "甲错" not in render_to_string("_errors.html", {"error": exc})
    assert "甲错" in render_to_string("_errors.html", {"error": exc, "listed": 1})
    assert render_to_string("_field.html#errs", {"errs": ["x"]}).strip() == '<ul class="errorlist"><li>x</li></ul>'
    assert "<li>m</li>" in render_to_string("_errors.html#messages", {"errors": {"a": ["m"]}})
