"""Writes of the demo app: the list of demo logins."""

from __future__ import annotations

from django.db import transaction

from bangfu.demo.models import DemoLogin


@transaction.atomic
def logins_save(*, logins: list[tuple[str, str, str]]) -> int:
    """Keep (username, role label, area name) rows in the given order; known usernames are left alone."""
    known = set(DemoLogin.objects.values_list("username", flat=True))
    start = DemoLogin.objects.count()
    fresh = [
        DemoLogin(position=start + i, username=u, role=r, area=a)
        for i, (u, r, a) in enumerate(row for row in logins if row[0] not in known)
    ]
    DemoLogin.objects.bulk_create(fresh)
    return len(fresh)
