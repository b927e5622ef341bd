"""Users, their roles per area, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from bangfu.accounts.domain.roles import ROLE_LABELS, Role


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """The user holds `role` in `area` (and everything under it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=24, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    # Which department (医保, 教育, …), insurer or enterprise the role acts for, where it matters.
    organisation = models.CharField("所属单位", max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "area", "organisation"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.area_id}"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
