"""Parsing of user input shared by the services, the API and the pages.

Collects every problem first and raises one ValidationFailed, so a form shows all its errors at once
and nothing is half-written.
"""

from __future__ import annotations

from typing import Any

from bangfu.core.domain import inputs
from bangfu.core.errors import FieldProblem, ValidationFailed
from bangfu.core.policy import date_window
from bangfu.insurance.domain import codes


class Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field_name: str, zh: str, en: str) -> None:
        self.items.append(FieldProblem(field_name, zh, en))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)

    def _run(self, check: Any, *args: Any, fallback: Any = None, **kw: Any) -> Any:
        """One of core.domain.inputs' checks; its problem is collected instead of raised."""
        try:
            return check(*args, **kw)
        except ValidationFailed as exc:
            self.items += exc.problems
            return fallback

    def text(self, name: str, value: Any, zh: str, en: str, max_len: int = 2000) -> str:
        v = self._run(inputs.text, value, name, max_len=max_len, multiline=True, zh=zh, en=en, fallback="")
        if not v and not any(p.field == name for p in self.items):
            self.add(name, f"请填写{zh}", f"Fill in the {en}")
        return v

    def money(self, name: str, value: Any, required: bool = True) -> Any:
        if value in (None, ""):
            if required:
                self.add(name, "请填写金额（元）", "Fill in the amount in yuan")
            return None
        return self._run(inputs.amount, value, name)

    def rate(self, name: str, value: Any) -> Any:
        """A rate as a fraction (0.7) or percentage text ("70%")."""
        return self._run(inputs.rate, value, name)

    def count(self, name: str, value: Any) -> Any:
        return self._run(inputs.count, value, name, zh="人数", en="count", fallback=0)

    def date(self, name: str, value: Any, *, future: bool = True) -> Any:
        return self._run(inputs.date, value, name, window=date_window(future=future))

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
