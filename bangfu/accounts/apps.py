from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bangfu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from bangfu.accounts import signals

        signals.connect()
