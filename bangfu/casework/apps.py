from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "bangfu.casework"
    label = "casework"

    def ready(self) -> None:
        from bangfu.casework.selectors.household import household_section
        from bangfu.casework.services.cases import follow_household_move
        from bangfu.registry import sections
        from bangfu.registry.signals import household_moved

        household_moved.connect(follow_household_move, dispatch_uid="casework_follow_household_move")
        sections.register(household_section, order=20)  # cases and visits on the household page
