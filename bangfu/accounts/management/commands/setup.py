"""`bangfu setup`: start an empty install from a terminal — migrate, then create the county and its first
administrator (what the first-run page does in a browser). Asks for what the options do not give; the
password comes from BANGFU_ADMIN_PASSWORD or is asked twice, never from the command line."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bangfu.accounts import services
from bangfu.core.errors import ApplicationError

PROMPTS = [
    ("province_name", "省 Province (e.g. 四川省)"),
    ("prefecture_name", "市(州) Prefecture (e.g. 乐山市)"),
    ("county_name", "县(区) County (e.g. 马边彝族自治县)"),
    ("county_code", "县级区划代码 County code, 12 digits (e.g. 511133000000)"),
    ("username", "管理员用户名 Administrator's username"),
    ("display_name", "管理员姓名 Administrator's name"),
]


class Command(BaseCommand):
    help = "Empty install: migrate, then create the county and its first administrator (bangfu setup --help)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", dest="province_name")
        parser.add_argument("--prefecture", dest="prefecture_name")
        parser.add_argument("--county", dest="county_name")
        parser.add_argument("--county-code", dest="county_code")
        parser.add_argument("--username")
        parser.add_argument("--name", dest="display_name")
        parser.add_argument("--no-input", action="store_true", help="never ask: missing values are an error")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not services.first_run_open():
            self.stdout.write("已有账号，无需首次设置。 Accounts exist already: log in at /accounts/login/.")
            return
        values = {key: (opts.get(key) or "").strip() for key, _ in PROMPTS}
        for key, prompt in PROMPTS:
            while not values[key]:
                if opts["no_input"]:
                    raise CommandError(f"缺少 missing: --{key.replace('_name', '').replace('_', '-')}")
                values[key] = input(f"{prompt}: ").strip()
        password = os.environ.get("BANGFU_ADMIN_PASSWORD", "")
        if not password:
            if opts["no_input"]:
                raise CommandError("请设置 set BANGFU_ADMIN_PASSWORD")
            password = getpass.getpass("密码 Password: ")
            if getpass.getpass("再次输入 Again: ") != password:
                raise CommandError("两次输入的密码不一致 The two passwords differ")
        try:
            user = services.first_admin_create(password=password, **values)
        except ApplicationError as exc:
            lines = [f"{p.field}: {p.zh} / {p.en}" for p in exc.problems] or [f"{exc.zh} / {exc.en}"]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"已创建 {values['county_name']} 及其管理员 {user.username}。"
            "请启动服务后登录，按设置清单完成本县设置：/setup/\n"
            f"Created {values['county_code']} and its administrator {user.username}. Serve the product "
            "(BANGFU_DEMO=0 make run), log in and follow the set-up checklist at /setup/."
        )
