from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "bangfu.insurance"
    label = "insurance"

    def ready(self) -> None:
        from bangfu.insurance.selectors import household_section
        from bangfu.registry import sections

        sections.register(household_section, order=30)  # the household's claims on its page
