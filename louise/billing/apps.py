from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "louise.billing"
    label = "billing"
    verbose_name = _("Abrechnung")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from louise.geo.models import Town

        from .fees import town_founded

        post_save.connect(town_founded, sender=Town, dispatch_uid="louise.billing.town_founded")
