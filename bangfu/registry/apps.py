from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bangfu.registry"
    label = "registry"

    def ready(self) -> None:
        from bangfu.core.keys import register_sample
        from bangfu.registry.selectors import an_encrypted_id

        register_sample(an_encrypted_id)  # the field-key check decrypts one at start (reliability D2)
