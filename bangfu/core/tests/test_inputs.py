"""core.domain.inputs: the one place amounts, counts, dates and text are bounded (pure, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.core.domain import inputs
from bangfu.core.domain.money import yuan
from bangfu.core.errors import ValidationFailed

WINDOW = inputs.DateWindow(dt.date(1990, 1, 1), dt.date(2026, 12, 5))


def _refused(fn, *args, **kw) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as e:
        fn(*args, **kw)
    p = e.value.problems[0]
    assert p.zh and p.en and p.zh != p.en  # bilingual
    return e.value


@pytest.mark.parametrize("raw", ["10000000000", "1e30", "4.5e15", "-1", "NaN", "Infinity", "abc", True, None, "1e"])
def test_amount_out_of_range_or_not_a_number_is_refused(raw):
    _refused(inputs.amount, raw, "amount")


@pytest.mark.parametrize("raw", ["0.001", "12.345", 12.345])
def test_amount_with_more_than_two_decimals_is_refused_not_rounded(raw):
    e = _refused(inputs.amount, raw, "amount")
    assert "two decimals" in e.problems[0].en


@pytest.mark.parametrize(
    ("raw", "want"),
    [("8,000.50", "8000.50"), ("８０００", "8000.00"), (0.1 + 0.2, "0.30"), (1234.56, "1234.56"), (7, "7.00")],
)
def test_amount_accepts_plain_full_width_and_excel_floats(raw, want):
    assert inputs.amount(raw, "amount") == Decimal(want)


def test_yuan_no_longer_raises_invalid_operation_on_huge_numbers():
    # before: "1e30" → decimal.InvalidOperation from quantize (a 500 in every caller)
    for raw in ("1e30", "1e26", "12.345"):
        with pytest.raises(ValueError):
            yuan(raw)


@pytest.mark.parametrize("raw", [4503599627370495, 2**63, True, "1.5", 1.5, "abc", -1, "1e3"])
def test_count_refuses_huge_boolean_fractional_and_negative(raw):
    _refused(inputs.count, raw, "persons")


def test_count_accepts_full_width_digits():
    assert inputs.count("１２", "persons") == 12


@pytest.mark.parametrize("raw", ["0044-04-14", "2099-01-01", "2026-13-01", "abc", ""])
def test_date_outside_window_or_malformed_is_refused(raw):
    _refused(inputs.date, raw, "received_on", window=WINDOW)


@pytest.mark.parametrize("raw", ["abc", "2026-13", "2026-00", "99999-01", "2026-01-01", "1e9"])
def test_month_malformed_is_refused(raw):
    _refused(inputs.month, raw, "month", window=WINDOW)


@pytest.mark.parametrize(
    "raw",
    ["a\x00b", "a\x01b", "\u200b", "\u200b\u200c ", "ab\u202ecd", "x\u2066y", "\ud800", "x" * 201],
)
def test_text_refuses_hidden_characters_and_overlong(raw):
    _refused(inputs.text, raw, "address", max_len=200)


def test_text_keeps_newlines_in_multiline_notes_only():
    assert inputs.text("第一行\n第二行", "note", max_len=50, multiline=True) == "第一行\n第二行"
    _refused(inputs.text, "第一行\n第二行", "name", max_len=50)


@pytest.mark.parametrize("raw", ["张\u200b三", "张\u200d三", "\u200f张三"])
def test_names_refuse_any_invisible_character(raw):
    _refused(inputs.name, raw, "name", max_len=60)


def test_identifier_is_nfkc_normalised_so_full_width_is_the_same_number():
    assert inputs.identifier("５１１１３３", "number", max_len=30, digits=True) == "511133"
    assert inputs.identifier("²³⁴81", "number", max_len=30, digits=True) == "23481"
    _refused(inputs.identifier, "٢٣٤", "number", max_len=30, digits=True)  # Arabic-Indic stays non-ASCII
    _refused(inputs.identifier, "12\u200b34", "number", max_len=30, digits=True)


def test_phone_is_digits_only_after_normalisation():
    assert inputs.phone("０８３３-１２３４５６７") == "08331234567"
    assert inputs.phone("") == ""
    _refused(inputs.phone, "abcabc")
    _refused(inputs.phone, "1" * 25)


@pytest.mark.parametrize(
    "check",
    [
        lambda: inputs.count("五", "min_poor_workers"),
        lambda: inputs.count("-3", "min_poor_workers", low=0, high=9),
        lambda: inputs.amount("abc", "base_wage"),
        lambda: inputs.text("\u202e", "village_note", max_len=10),
        lambda: inputs.identifier("", "household_number", max_len=16),
    ],
)
def test_a_message_without_a_label_never_shows_the_fields_code(check) -> None:
    """Messages reach people beside the field: the code (min_poor_workers) is for machines only."""
    with pytest.raises(ValidationFailed) as caught:
        check()
    err = caught.value
    code = err.problems[0].field
    assert code not in err.zh and code not in err.en
