"""The groups of the top navigation (issue #16): 首页, then one entry per group the user has anything in.

Each app's urls.py declares its entries with `NAV = [(who, label, target, group)]`, naming one of these
groups by key; `bangfu.accounts.context.nav` builds the bar. The order here is the order of the bar: the
enterprise user's own company first, then the office's daily work, then reports and settings. Seven
groups at most, so that no role sees more than seven top entries with 首页.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

GROUPS: list[tuple[str, Any]] = [
    ("mine", _("我的企业")),
    ("households", _("农户")),
    ("monitoring", _("监测帮扶")),
    ("insurance", _("防贫保险")),
    ("industry", _("就业产业")),
    ("reports", _("统计报表")),
    ("admin", _("系统设置")),
]
