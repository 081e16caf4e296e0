from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "louise.orders"
    label = "orders"
    verbose_name = _("Bestellungen")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the access rules of its models
