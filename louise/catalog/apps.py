from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "louise.catalog"
    label = "catalog"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        # The access rules of its models, the shop's kinds of invitation.
        from . import invitations, selectors  # noqa: F401
