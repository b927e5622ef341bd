"""Today in the project's time zone, for pure code that defaults to it.

Django code uses `django.utils.timezone.localdate()`; pure domain code cannot import Django, so a default
"today" there comes from here, never from `date.today()` (the server's zone: a check at 00:30 in Beijing
would otherwise see yesterday on a UTC server). ZONE is settings.TIME_ZONE (tests/test_architecture.py
checks they agree).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(ZONE).date()
