from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "louise.geo"
    label = "geo"
    verbose_name = _("Gebiete und Orte")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the access rules of its models
