import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.core.domain.idnumber import InvalidIdNumber, check_digit, make, mask, parse

VALID = "11010519491231002X"  # the GB 11643 example: check digit X


def test_valid_with_x_check_digit():
    idn = parse(VALID)
    assert idn.birth_date == dt.date(1949, 12, 31)
    assert idn.sex == "F"  # 17th digit 2 is even
    assert idn.masked == "1101************2X"


def test_lowercase_x_and_spaces_are_accepted():
    assert parse(" 11010519491231002x ").value == VALID


def test_wrong_check_digit():
    with pytest.raises(InvalidIdNumber) as e:
        parse("110105194912310021")
    assert "校验位" in e.value.zh and "check digit" in e.value.en


def test_impossible_date():
    body = "51113319990231123"  # 31 February
    with pytest.raises(InvalidIdNumber) as e:
        parse(body + check_digit(body))
    assert "出生日期" in e.value.zh


def test_future_birth_date():
    body = "51113330000101123"
    with pytest.raises(InvalidIdNumber):
        parse(body + check_digit(body), today=dt.date(2026, 1, 1))


@pytest.mark.parametrize("raw", ["", "1234", "1101051949123100211", "11010519491231002Y", "A1010519491231002X"])
def test_malformed(raw):
    with pytest.raises(InvalidIdNumber):
        parse(raw)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)), st.integers(0, 999))
def test_made_numbers_parse_back(birth, seq):
    value = make("511133", birth, seq)
    idn = parse(value, today=dt.date(2026, 1, 1))
    assert idn.birth_date == birth
    assert idn.sex == ("M" if seq % 2 else "F")


def test_mask_never_shows_the_middle():
    assert mask(VALID) == "1101************2X"
    assert repr(parse(VALID)) == "IdNumber(1101************2X)"


def test_full_width_digits_from_a_chinese_input_method_are_the_same_number():
    assert parse("１１０１０５１９４９１２３１００２Ｘ").value == VALID


@pytest.mark.parametrize("raw", ["11010519491231002٣", "١1010519491231002X"])
def test_other_scripts_digits_are_refused(raw):
    with pytest.raises(InvalidIdNumber) as e:
        parse(raw)
    assert "数字" in e.value.zh


def _reference_check_digit(first17: str) -> str:
    """The standard's definition, written plainly: a_1 = (12 - Σ a_i·2^(i-1) mod 11) mod 11, 10 → X."""
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    a1 = (12 - total % 11) % 11
    return "X" if a1 == 10 else str(a1)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_matches_the_standard(first17):
    assert check_digit(first17) == _reference_check_digit(first17)
