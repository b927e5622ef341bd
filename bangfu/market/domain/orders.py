"""Institutional orders (消费帮扶采购): the transition table and the stock arithmetic.

order placed → confirmed by the supplier → shipped → received by the buyer after inspection → settled.
The table says which party may fire each event; the service works out the acting user's parties.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class OrderState(StrEnum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    RECEIVED = "received"
    SETTLED = "settled"
    CANCELLED = "cancelled"
    RETURNED = "returned"


STATE_LABELS = {
    OrderState.PLACED: "已下单",
    OrderState.CONFIRMED: "已确认",
    OrderState.SHIPPED: "已发货",
    OrderState.RECEIVED: "已验收",
    OrderState.SETTLED: "已结算",
    OrderState.CANCELLED: "已取消",
    OrderState.RETURNED: "验收不合格已退货",
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


@dataclass(frozen=True, slots=True)
class Transition:
    source: OrderState
    event: str
    target: OrderState
    parties: frozenset[Party]
    stock: Stock
    label: str
    needs_note: bool = False  # a cancellation or refusal must say why


_B, _S = frozenset({Party.BUYER}), frozenset({Party.SUPPLIER})
_BOTH = _B | _S
S = OrderState
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PLACED, "confirm", S.CONFIRMED, _S, Stock.NONE, "确认订单"),
    Transition(S.PLACED, "cancel", S.CANCELLED, _BOTH, Stock.RELEASE, "取消订单", needs_note=True),
    Transition(S.CONFIRMED, "ship", S.SHIPPED, _S, Stock.DEDUCT, "发货"),
    Transition(S.CONFIRMED, "cancel", S.CANCELLED, _BOTH, Stock.RELEASE, "取消订单", needs_note=True),
    Transition(S.SHIPPED, "receive", S.RECEIVED, _B, Stock.NONE, "验收合格收货"),
    Transition(S.SHIPPED, "refuse", S.RETURNED, _B, Stock.RESTOCK, "验收不合格退货", needs_note=True),
    Transition(S.RECEIVED, "settle", S.SETTLED, _B, Stock.NONE, "结算付款"),
)
EVENTS = frozenset(t.event for t in TRANSITIONS)


class TransitionRefused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def find(state: OrderState, event: str, parties: frozenset[Party] | set[Party], note: str = "") -> Transition:
    """The transition for `event` from `state` that one of `parties` may fire, or TransitionRefused."""
    match = next((t for t in TRANSITIONS if t.source == state and t.event == event), None)
    if match is None:
        raise TransitionRefused(
            f"订单处于“{STATE_LABELS[state]}”状态，不能执行该操作，请刷新后查看可用操作",
            f"an order in state {state.value} cannot {event}; reload to see what is possible",
        )
    if not match.parties & set(parties):
        who = "采购方" if Party.BUYER in match.parties else "供货企业"
        raise TransitionRefused(
            f"“{match.label}”只能由{who}操作", f"only the {' or '.join(sorted(match.parties))} may {event}"
        )
    if match.needs_note and not note.strip():
        raise TransitionRefused(f"“{match.label}”须填写原因", f"give the reason to {event}")
    return match


def available(state: OrderState, parties: frozenset[Party] | set[Party]) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state and t.parties & set(parties)]


@dataclass(frozen=True, slots=True)
class StockLevel:
    on_hand: Decimal
    reserved: Decimal

    @property
    def free(self) -> Decimal:
        return self.on_hand - self.reserved

    def apply(self, effect: Stock, qty: Decimal) -> StockLevel:
        """The stock after an order line of `qty` goes through `effect` (never below zero)."""
        if effect is Stock.RELEASE:
            return StockLevel(self.on_hand, self.reserved - qty)
        if effect is Stock.DEDUCT:
            return StockLevel(self.on_hand - qty, self.reserved - qty)
        if effect is Stock.RESTOCK:
            return StockLevel(self.on_hand + qty, self.reserved)
        return self

    def reserve(self, qty: Decimal) -> StockLevel:
        if qty <= 0 or qty > self.free:
            raise TransitionRefused(
                f"库存不足：可订{self.free}，需要{qty}", f"not enough stock: {self.free} free, {qty} wanted"
            )
        return StockLevel(self.on_hand, self.reserved + qty)
