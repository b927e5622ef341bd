from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "bangfu.market"
    label = "market"
