from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "louise.core"
    label = "core"
    verbose_name = "LOUISE"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy

        from . import german

        german.connect()
        # Django 6.1's blank choice of every select ("- Select an option -") has no German
        # translation yet; Django asks apps to set their own label here.
        fields.BLANK_CHOICE_LABEL = gettext_lazy("– bitte wählen –")
