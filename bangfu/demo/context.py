"""What the demo loader hands from one app's demo step to the next.

`bangfu demo` builds the base (areas, users, the synthetic county, the story households) in
bangfu/demo/base.py, then calls `load(ctx)` of each app's `demo.py` in APP_ORDER. Keys are stable
so an app can find the story's people:

areas:      "gannan" (甘南县, the synthetic county, story B), "yongli" (永利村, 颜世龙's village),
            "mabian" (马边县), "xuekoushan" (雪口山乡), "yangdianer" (羊店儿村), "liming" (黎明村),
            "site_village" (the village/community where the resettlement site stands),
            "luolong" (洛隆县), "luolong_town" (the township of the 洛宗 company)
households: "A" (吉石罗布's household), "B" (颜世龙's household), "C_sangding" (桑丁's household)
extra:      "C_linked" → list of the 35 poor households working for 洛宗 (桑丁's included),
            "A_workers" → list of households of 雪口山乡 whose members work at the workshop,
            "liming_relocated" → households of 黎明村 relocated to the site (dividend recipients),
            "A_site" → the ResettlementSite of story A,
            "A_worker_members" → the Member rows who work at the workshop (吉石罗布 and his wife first),
            "B_grid" → 周景财's grid in 永利村 (颜世龙's household is in it),
            "grids" → every Grid created, by grid code
users:      by username, see base.DEMO_USERS (e.g. "zhoujingcai" the grid worker of story B,
            "gannan_admin", "mabian_admin", "luolong_admin", "mabian_factory", "luolong_company",
            "gannan_insurer", "gannan_edu", "gannan_med")
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    today: dt.date
    rng: random.Random
    areas: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    households: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, area)
