from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "louise.logistics"
    label = "logistics"
    verbose_name = _("Logistik")

    def ready(self) -> None:
        from louise.orders.signals import order_changed

        from . import selectors  # noqa: F401 - registers the access rules of its models
        from .reactions import order_changed as react

        order_changed.connect(react, dispatch_uid="logistics.reactions")
