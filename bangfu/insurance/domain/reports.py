"""Claim statistics over plain rows: by cause, township and month, and days from application to payment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from bangfu.core.domain.money import ZERO


class Row(Protocol):
    @property
    def cause(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def township(self) -> str: ...
    @property
    def applied_on(self) -> dt.date: ...
    @property
    def paid_on(self) -> dt.date | None: ...
    @property
    def paid(self) -> Decimal | None: ...


@dataclass(frozen=True)
class Bucket:
    key: str
    claims: int
    paid_claims: int
    rejected: int
    paid: Decimal


@dataclass(frozen=True)
class Summary:
    claims: int
    paid_claims: int
    rejected: int
    open: int
    paid: Decimal
    avg_days_to_pay: Decimal | None  # calendar days, one decimal
    max_days_to_pay: int | None
    by_cause: tuple[Bucket, ...]
    by_township: tuple[Bucket, ...]
    by_month: tuple[Bucket, ...]  # month of application, "2026-01"


def days_to_pay(applied_on: dt.date, paid_on: dt.date) -> int:
    return (paid_on - applied_on).days


def _buckets(rows: Sequence[Row], key: str) -> tuple[Bucket, ...]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        k = r.applied_on.strftime("%Y-%m") if key == "month" else getattr(r, key)
        groups[k].append(r)
    return tuple(
        Bucket(
            k,
            len(g),
            sum(1 for r in g if r.paid_on),
            sum(1 for r in g if r.status == "rejected"),
            sum((r.paid or ZERO for r in g), ZERO),
        )
        for k, g in sorted(groups.items())
    )


def summarise(rows: Sequence[Row]) -> Summary:
    days = [days_to_pay(r.applied_on, r.paid_on) for r in rows if r.paid_on]
    avg = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if days else None
    paid_claims = len(days)
    rejected = sum(1 for r in rows if r.status == "rejected")
    return Summary(
        claims=len(rows),
        paid_claims=paid_claims,
        rejected=rejected,
        open=len(rows) - paid_claims - rejected,
        paid=sum((r.paid or ZERO for r in rows), ZERO),
        avg_days_to_pay=avg,
        max_days_to_pay=max(days, default=None),
        by_cause=_buckets(rows, "cause"),
        by_township=_buckets(rows, "township"),
        by_month=_buckets(rows, "month"),
    )
