from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "louise.logistics"
    label = "logistics"
    verbose_name = _("Logistik")

    def ready(self) -> None:
        from louise.orders.signals import order_changed

        # The access rules of its models, the town team's kinds of invitation.
        from . import selectors, team  # noqa: F401
        from .reactions import order_changed as react

        order_changed.connect(react, dispatch_uid="logistics.reactions")
