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


class Delegation(models.Model):
    """A recorded exception to a separation of duties (职责分离例外授权), granted by the county.

    `delegate` may do the later duty of `duty_pair` (accounts.domain.duties.DUTY_PAIRS) on work in
    `area` where they did the earlier one, from `valid_from` to `valid_to` (inclusive), until revoked.
    """

    delegator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="授权人")
    delegate = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="delegations_received", verbose_name="被授权人"
    )
    duty_pair = models.CharField("职责组合", max_length=40)
    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    reason = models.TextField("授权理由")
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoke_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["delegate", "duty_pair"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="delegation_dates_ordered",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="delegation_reason_given"),
            models.CheckConstraint(condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.duty_pair}:{self.delegate_id}@{self.area_id}"
