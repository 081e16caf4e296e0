from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "louise.core"
    label = "core"
    verbose_name = "LOUISE"

    def ready(self) -> None:
        from . import german

        german.connect()
