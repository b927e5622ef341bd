"""The market's coded values in the reader's words.

The pure `domain/` modules mark their labels with `gettext_noop` (so they land in the English
catalogue); pages, selectors and exports show a code through these functions, never the code itself.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.market.domain import codes
from bangfu.market.domain.orders import STATE_LABELS, OrderState


def unit_label(unit: str) -> str:
    return _(codes.UNIT_LABELS[codes.Unit(unit)])


def channel_label(channel: str) -> str:
    return _(codes.CHANNEL_LABELS[codes.Channel(channel)])


def order_state_label(state: str) -> str:
    return _(STATE_LABELS[OrderState(state)])


def channel_options() -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in codes.CHANNEL_LABELS.items()]


def payment_kind_options() -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in codes.PAYMENT_KIND_LABELS.items()]


def sector_options() -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in codes.SECTOR_LABELS.items()]


def order_state_options() -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in STATE_LABELS.items()]
