from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "louise.hotline"
    label = "hotline"
    verbose_name = _("Hotline")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the access rules of its models
