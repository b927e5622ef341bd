"""Import benchmark: N households with their members from an xlsx file, validated and stored.

Prints rows/s of the whole import (read + validate + store + history) beside a plain openpyxl
read of the same file in the same run. Uses a fresh SQLite file unless DATABASE_URL is set.

    .venv/bin/python bench/import/run.py [--households 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕德福金凤永胜"
COUNTY = "511133"
_USED: set = set()  # (birth date, sequence) pairs given out, kept across files of one run


def _setup_database() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bangfu-bench-import-"))
    os.environ.setdefault("BANGFU_VAR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _county(villages: int, grids_per_village: int):
    """A county with 10 townships; returns the importing officer and the (village, [grid codes]) list."""
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.areas import services as areas

    areas.area_create(code="510000000000", name="四川省", parent_code=None)
    areas.area_create(code="511100000000", name="乐山市", parent_code="510000000000")
    areas.area_create(code=f"{COUNTY}000000", name="马边彝族自治县", parent_code="511100000000")
    per_town = max(1, villages // 10)
    places = []
    for t in range(10):
        town = f"{COUNTY}{100 + t * 10:03d}000"
        areas.area_create(code=town, name=f"第{t + 1}乡", parent_code=f"{COUNTY}000000")
        for v in range(per_town):
            code = f"{town[:9]}{201 + v:03d}"
            areas.area_create(code=code, name=f"第{t + 1}乡{v + 1}村", parent_code=town)
            grids = [
                areas.grid_create(village_code=code, code=f"{code}-{g + 1:02d}", name=f"{g + 1}网格").code
                for g in range(grids_per_village)
            ]
            places.append((code, grids))
    officer = accounts.user_create(username="bench_admin", password="bench-pass-123", display_name="县管理员")
    accounts.membership_grant(user=officer, role=Role.COUNTY_ADMIN, area_code=f"{COUNTY}000000")
    return officer, places


def _workbook(households: int, places: list, rng: random.Random, offset: int = 0) -> tuple[bytes, int]:
    """The import file as a county office would fill it in (xlsxwriter, streaming)."""
    import xlsxwriter

    from bangfu.core.domain.idnumber import make
    from bangfu.registry.importer import HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, MEMBER_COLUMNS, MEMBER_SHEET

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False})
    hs, ms = wb.add_worksheet(HOUSEHOLD_SHEET), wb.add_worksheet(MEMBER_SHEET)
    hs.write_row(0, 0, [t for t, _ in HOUSEHOLD_COLUMNS])
    ms.write_row(0, 0, [t for t, _ in MEMBER_COLUMNS])
    r_m, seq = 1, offset * 4
    used: set[tuple[dt.date, int]] = _USED
    for i in range(offset, offset + households):
        village, grids = places[i % len(places)]
        number = f"{village}{i:06d}"
        exited = rng.random() < 0.7
        hs.write_row(
            i - offset + 1,
            0,
            [
                number,
                village,
                "",
                grids[(i // len(places)) % len(grids)],
                f"{i % 40 + 1}号",
                "",
                "是" if exited else "否",
                str(rng.randint(2016, 2020)) if exited else "",
                "是" if rng.random() < 0.12 else "否",
                "否",
                "是" if rng.random() < 0.05 else "否",
                "否",
            ],
        )
        size = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6))
        surname = rng.choice(SURNAMES)
        for k in range(size):
            seq += 1
            relation = "户主" if k == 0 else ("配偶" if k == 1 else rng.choice(("之子", "之女")))
            born = dt.date(1950 + rng.randint(0, 20), 1, 1) if k < 2 else dt.date(1995 + rng.randint(0, 20), 1, 1)
            born += dt.timedelta(days=rng.randint(0, 364))
            n3 = seq % 1000
            while (born, n3) in used:  # ID numbers are unique: take the next sequence number of that day
                n3 = (n3 + 1) % 1000
            used.add((born, n3))
            idn = make(COUNTY, born, n3)
            name = surname + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            ms.write_row(
                r_m,
                0,
                [
                    number,
                    name,
                    idn,
                    relation,
                    "彝族" if rng.random() < 0.5 else "汉族",
                    "初中",
                    "非在校生",
                    "健康",
                    "",
                    "普通劳动力",
                    "务工" if k < 2 else "未就业",
                    "省外" if k < 2 else "",
                    "8" if k < 2 else "0",
                    "城乡居民基本医疗保险",
                    "",
                ],
            )
            r_m += 1
    wb.close()
    return buf.getvalue(), r_m - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    _setup_database()
    from django.db import connection

    from bangfu.registry.importer import household_import

    villages = 100
    officer, places = _county(villages, grids_per_village=max(1, args.households // villages // 30))
    t0 = time.perf_counter()
    data, members = _workbook(args.households, places, random.Random(7))
    print(
        f"file: {args.households:,} households, {members:,} members, {len(data) / 1e6:.1f} MB "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )

    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    t_openpyxl = time.perf_counter() - t0
    print(
        f"openpyxl read only:     {t_openpyxl:6.2f} s  {args.households / t_openpyxl:9,.0f} households/s  "
        f"{rows / t_openpyxl:9,.0f} rows/s"
    )

    t0 = time.perf_counter()
    result = household_import(actor=officer, data=data, filename="bench.xlsx")
    t_import = time.perf_counter() - t0
    total = result.households + result.members
    print(
        f"bangfu import (all):    {t_import:6.2f} s  {result.households / t_import:9,.0f} households/s  "
        f"{total / t_import:9,.0f} rows/s  (read + validate + store + history, {connection.vendor})"
    )
    assert result.households == args.households and result.members == members


if __name__ == "__main__":
    main()
