"""Reads of the demo app. Demo logins are public by design (printed on the console, shown in README)."""

from __future__ import annotations

from bangfu.demo.models import DemoLogin


def demo_logins() -> list[tuple[str, str, str]]:
    return [(d.username, d.role, d.area) for d in DemoLogin.objects.all()]
