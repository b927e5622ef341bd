"""Institutional orders (消费帮扶采购): the transition table and the stock arithmetic.

order placed → confirmed by the supplier → shipped → received by the buyer after inspection → settled.
The table (core.domain.workflow) says which party may take each step; the service works out the
acting user's parties, decides, then applies the step's stock effect (`STOCK`).
"""

from __future__ import annotations

from enum import StrEnum

from bangfu.core.domain.text import gettext_noop
from bangfu.core.domain.workflow import Step, Table


class OrderState(StrEnum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    RECEIVED = "received"
    SETTLED = "settled"
    CANCELLED = "cancelled"
    RETURNED = "returned"


STATE_LABELS = {
    OrderState.PLACED: gettext_noop("已下单"),
    OrderState.CONFIRMED: gettext_noop("已确认"),
    OrderState.SHIPPED: gettext_noop("已发货"),
    OrderState.RECEIVED: gettext_noop("已验收"),
    OrderState.SETTLED: gettext_noop("已结算"),
    OrderState.CANCELLED: gettext_noop("已取消"),
    OrderState.RETURNED: gettext_noop("验收不合格已退货"),
}


class Party(StrEnum):
    BUYER = "buyer"  # the buyer's side: an officer of the buyer's area acting for the budget unit
    SUPPLIER = "supplier"  # the enterprise's own user, or an officer of the enterprise's area


class Stock(StrEnum):
    """What a transition does to the product stock."""

    NONE = "none"
    RELEASE = "release"  # give back a reservation
    DEDUCT = "deduct"  # goods leave: on hand and reserved both go down
    RESTOCK = "restock"  # returned goods come back on hand


_B, _S = frozenset({Party.BUYER}), frozenset({Party.SUPPLIER})
_BOTH = _B | _S
S = OrderState
TABLE: Table[OrderState, str] = Table(
    (
        Step(S.PLACED, "confirm", S.CONFIRMED, _S),
        Step(S.PLACED, "cancel", S.CANCELLED, _BOTH, needs_reason=True),
        Step(S.CONFIRMED, "ship", S.SHIPPED, _S),
        Step(S.CONFIRMED, "cancel", S.CANCELLED, _BOTH, needs_reason=True),
        Step(S.SHIPPED, "receive", S.RECEIVED, _B),
        Step(S.SHIPPED, "refuse", S.RETURNED, _B, needs_reason=True),  # a cancellation or refusal says why
        Step(S.RECEIVED, "settle", S.SETTLED, _B),
    ),
    noun=(gettext_noop("订单"), "order"),
    states=STATE_LABELS,
    events={
        "place": gettext_noop("下单"),
        "confirm": gettext_noop("确认订单"),
        "cancel": gettext_noop("取消订单"),
        "ship": gettext_noop("发货"),
        "receive": gettext_noop("验收合格收货"),
        "refuse": gettext_noop("验收不合格退货"),
        "settle": gettext_noop("结算付款"),
    },
    reason=("note", "请填写原因", "Give the reason"),
    who_labels={Party.BUYER: (gettext_noop("采购方"), "buyer"), Party.SUPPLIER: (gettext_noop("供货企业"), "supplier")},
)
# What each event does to the product stock (applied by the service after the step is decided).
STOCK = {"cancel": Stock.RELEASE, "ship": Stock.DEDUCT, "refuse": Stock.RESTOCK}
