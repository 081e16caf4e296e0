from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "louise.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the access rules of its models
