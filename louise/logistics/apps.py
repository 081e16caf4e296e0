from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "louise.logistics"
    label = "logistics"
    verbose_name = _("Logistik")
