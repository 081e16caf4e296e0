"""What the hotline keeps of its calls, and how a mandate reached LOUISE on paper."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.geo.models import town_field


class CallReason(models.TextChoices):
    ORDER = "order", _("Bestellung")
    CHANGE = "change", _("Änderung oder Storno")
    QUESTION = "question", _("Frage")
    COMPLAINT = "complaint", _("Beschwerde")
    OTHER = "other", _("Sonstiges")


class Call(models.Model):
    """One call with a customer, as the agent noted it. The customer never sees it: it holds
    the agent's own words about them."""

    town = town_field(related_name="+")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("Kundin / Kunde"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("Hotline"))
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    reason = models.CharField(_("Anlass"), max_length=12, choices=CallReason.choices)
    notes = models.TextField(_("Notizen"), max_length=2000, blank=True)
    follow_up_on = models.DateField(_("Rückruf am"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("Rückruf erledigt"), default=False)

    class Meta:
        verbose_name = _("Anruf")
        verbose_name_plural = _("Anrufe")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_reason_display()}"


class PaperMandate(models.Model):
    """A SEPA mandate the customer signed on the printed form and sent back: when it
    arrived and who entered it."""

    mandate = models.OneToOneField("billing.SepaMandate", on_delete=models.CASCADE,
                                   related_name="paper")
    received_on = models.DateField(_("erhalten am"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Mandat auf Papier")
        verbose_name_plural = _("Mandate auf Papier")

    def __str__(self) -> str:
        return f"Papier, erhalten am {self.received_on:%d.%m.%Y}"
