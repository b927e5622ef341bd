from django.core.management.base import BaseCommand, CommandError, CommandParser

from bangfu.accounts import services
from bangfu.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for a user: bangfu token create USERNAME [--name NAME]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: object, **opts: str) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {opts['username']}")
        self.stdout.write(services.token_create(user=user, name=opts["name"]))
