"""Money owed and how it is collected: SEPA direct-debit mandates (amounts in EUR cents)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SepaMandate(models.Model):
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="mandates")
    reference = models.CharField(_("Mandatsreferenz"), max_length=35, unique=True)
    holder = models.CharField(_("Kontoinhaber"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    signed_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    active = models.BooleanField(_("gültig"), default=True)

    class Meta:
        verbose_name = _("SEPA-Lastschriftmandat")
        verbose_name_plural = _("SEPA-Lastschriftmandate")

    def __str__(self) -> str:
        return f"{self.reference} ({self.masked_iban})"

    @property
    def masked_iban(self) -> str:
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}"
