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
    assert idn.masked == "1101**********002X"


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
    assert mask(VALID) == "1101**********002X"
    assert repr(parse(VALID)) == "IdNumber(1101**********002X)"
