"""Parsing of user input shared by the services, the API and the pages.

Collects every problem first and raises one ValidationFailed, so a form shows all its errors at once
and nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from bangfu.core.domain.money import yuan
from bangfu.core.errors import FieldProblem, ValidationFailed
from bangfu.insurance.domain import codes


class Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field_name: str, zh: str, en: str) -> None:
        self.items.append(FieldProblem(field_name, zh, en))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)

    def text(self, name: str, value: Any, zh: str, en: str) -> str:
        v = str(value or "").strip()
        if not v:
            self.add(name, f"请填写{zh}", f"Fill in the {en}")
        return v

    def money(self, name: str, value: Any, required: bool = True) -> Any:
        if value in (None, ""):
            if required:
                self.add(name, "请填写金额（元）", "Fill in the amount in yuan")
            return None
        try:
            d = yuan(value)
        except ValueError:
            self.add(name, "金额格式不正确，请填写数字，如 8000 或 8000.50", "Not an amount; write e.g. 8000.50")
            return None
        if d < 0:
            self.add(name, "金额不能为负数", "The amount cannot be negative")
        return d

    def rate(self, name: str, value: Any) -> Any:
        """A rate as a fraction (0.7) or percentage text ("70%")."""
        text = str(value).strip()
        try:
            r = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except InvalidOperation:
            self.add(name, "比例格式不正确，请填写如 0.70 或 70%", "Not a rate; write e.g. 0.70 or 70%")
            return None
        if not Decimal(0) <= r <= Decimal(1):
            self.add(name, "比例须在0到1（0%到100%）之间", "A rate must be between 0 and 1 (0–100%)")
        return r.quantize(Decimal("0.0001"))

    def count(self, name: str, value: Any) -> Any:
        try:
            n = int(value)
        except (TypeError, ValueError):
            self.add(name, "请填写整数", "Write a whole number")
            return 0
        if n < 0:
            self.add(name, "不能为负数", "Cannot be negative")
        return n

    def date(self, name: str, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            self.add(name, "日期格式应为 年-月-日，如 2026-01-15", "Write the date as YYYY-MM-DD")
            return None

    def choice(self, name: str, value: Any, choices: dict[str, str]) -> str:
        v = str(value or "")
        if v not in choices:
            self.add(name, f"请选择：{'、'.join(choices.values())}", f"Choose one of {', '.join(choices)}")
        return v

    def groups(self, name: str, value: Any) -> list[str]:
        items = [str(g).strip() for g in (value if isinstance(value, list | tuple) else str(value).split(","))]
        items = [g for g in items if g]
        unknown = [g for g in items if g not in codes.GROUPS]
        if unknown:
            self.add(name, f"未知的人群类别：{'、'.join(unknown)}", f"Unknown groups: {', '.join(unknown)}")
        return items

    @staticmethod
    def single(field_name: str, zh: str, en: str) -> ValidationFailed:
        return ValidationFailed([FieldProblem(field_name, zh, en)], zh=zh, en=en)
