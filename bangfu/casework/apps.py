from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "bangfu.casework"
    label = "casework"

    def ready(self) -> None:
        from bangfu.casework.services.cases import follow_household_move
        from bangfu.registry.signals import household_moved

        household_moved.connect(follow_household_move, dispatch_uid="casework_follow_household_move")
