"""What the demo loader leaves behind besides the county itself."""

from __future__ import annotations

from django.db import models


class DemoLogin(models.Model):
    """A demo account to print after `bangfu demo` (every run, also when the data was already loaded).

    Other apps' demo steps add their own logins to `ctx.logins`; keeping them as rows lets a later
    `bangfu demo` (which loads nothing) still list them.
    """

    position = models.PositiveIntegerField(default=0)
    username = models.CharField("用户名", max_length=150, unique=True)
    role = models.CharField("角色", max_length=60)
    area = models.CharField("区域", max_length=100)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.username
