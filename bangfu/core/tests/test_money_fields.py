"""Every amount of money and every quantity is declared with `core.models.money_field` /
`quantity_field`: one precision, DECIMAL(12, 2), that the CHECK constraints and the money parser follow."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.db import models

from bangfu.core.domain import money
from bangfu.core.guards import decimal_limit
from bangfu.core.models import MONEY_DIGITS, MONEY_LIMIT, MONEY_PLACES, money_field

# Indicator values are sums over a whole province (money, people and shares alike), not one amount.
NOT_AN_AMOUNT = {("analytics", "IndicatorValue", "value")}


def test_every_two_place_decimal_column_has_the_one_precision() -> None:
    other = [
        (m._meta.app_label, m.__name__, f.name, f.max_digits)
        for m in apps.get_models()
        if m.__module__.startswith("bangfu.")
        for f in m._meta.concrete_fields
        if isinstance(f, models.DecimalField)
        and f.decimal_places == MONEY_PLACES
        and f.max_digits != MONEY_DIGITS
        and (m._meta.app_label, m.__name__.removeprefix("Historical"), f.name) not in NOT_AN_AMOUNT
    ]
    assert other == []


def test_the_limits_agree() -> None:
    assert decimal_limit(money_field("x")) == MONEY_LIMIT == Decimal("1e10")
    assert money.LIMIT == MONEY_LIMIT - money.FEN  # the parser accepts exactly what a column holds


def test_check_constraints_use_the_column_limit() -> None:
    for m in apps.get_models():
        for c in m._meta.constraints:
            if isinstance(c, models.CheckConstraint) and c.name.endswith("amount_range"):
                assert isinstance(c.condition, models.Q)
                assert ("amount__lt", MONEY_LIMIT) in c.condition.children, c.name
