"""Users, their roles per area, and API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bangfu.accounts.domain.roles import ROLE_LABELS, Role


def new_access_version() -> int:
    return secrets.randbits(62)


class User(AbstractUser):
    _bangfu_memberships: list[Membership]  # not a column: accounts.selectors.memberships_of caches them here
    display_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)
    # The area whose administrators manage this account (a county, or a township it lets manage).
    home_area = models.ForeignKey(
        "areas.Area", to_field="code", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by an administrator's password reset (and for new accounts): every page sends the user to
    # the password change until they have chosen their own (accounts.password.PasswordChangeRequired).
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    deactivated_at = models.DateTimeField("停用时间", null=True, blank=True)
    deactivation_reason = models.CharField("停用原因", max_length=200, blank=True)
    # A new random number whenever what the user may reach changes (a membership, a grid, an area they
    # hold a role in): the key of the per-process cache of their memberships and scope
    # (accounts.selectors.memberships, docs/architecture.md "Access cache"). Read with the user's row.
    access_version = models.BigIntegerField(default=new_access_version, editable=False)

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """The user holds `role` in `area` (and everything under it) from `start` until the day before `end`.

    Ended memberships are kept (who held which role when); only those in force count for access."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=24, choices=[(r.value, gettext_lazy(ROLE_LABELS[r])) for r in Role])
    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    # Which department (医保, 教育, …), insurer or enterprise the role acts for, where it matters.
    organisation = models.CharField("所属单位", max_length=100, blank=True)
    start = models.DateField("开始日期", default=timezone.localdate)
    end = models.DateField("结束日期（当日起失效）", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area", "organisation"],
                condition=models.Q(end__isnull=True),
                name="uniq_open_membership",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.area_id}"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # written at most every BANGFU_TOKEN_TOUCH_SECONDS, never by a request that reads from a replica
    last_used = models.DateTimeField(null=True, blank=True)
    # the end of the last request made with the token that wrote: its reads stay on the primary for
    # BANGFU_READ_YOUR_WRITES_SECONDS (bangfu.core.replicas; clients need keep no cookie)
    last_write = models.DateTimeField(null=True, blank=True)
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


class AccountPolicy(models.Model):
    """A county's account settings from a date (configuration, not code): whether its township officers
    administer village and grid accounts, and the password policy of its people. The most specific area
    with a row in force on the day asked about wins; without one, the defaults below apply."""

    area = models.ForeignKey("areas.Area", to_field="code", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    township_administers = models.BooleanField("乡镇可管理村级和网格员账号", default=False)
    password_min_length = models.PositiveSmallIntegerField("密码最短长度", default=8)
    password_block_common = models.BooleanField("禁止常见密码", default=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "-effective_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(password_min_length__gte=8) & models.Q(password_min_length__lte=64),
                name="account_policy_min_length_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="account_policy_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}@{self.effective_from}"
