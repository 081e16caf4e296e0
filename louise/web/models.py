"""Texts the operator publishes on the site: Impressum, Datenschutzerklärung, AGB,
Widerrufsbelehrung. Until the operator writes one, a German template stands in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalKind(models.TextChoices):
    IMPRINT = "impressum", _("Impressum")
    PRIVACY = "datenschutz", _("Datenschutzerklärung")
    TERMS = "agb", _("Allgemeine Geschäftsbedingungen")
    WITHDRAWAL = "widerruf", _("Widerrufsbelehrung")


class LegalText(models.Model):
    kind = models.CharField(_("Art"), max_length=12, choices=LegalKind.choices, unique=True)
    body = models.TextField(_("Text"), help_text=_("Absätze durch eine Leerzeile trennen."))
    updated_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")

    def __str__(self) -> str:
        return self.get_kind_display()
