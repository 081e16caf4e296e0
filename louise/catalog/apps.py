from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "louise.catalog"
    label = "catalog"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the access rules of its models
