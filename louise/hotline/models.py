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


class HolidayRule(models.TextChoices):
    DROP = "drop", _("entfällt")
    BEFORE = "before", _("am Werktag davor")
    AFTER = "after", _("am Werktag danach")


class StandingOrder(models.Model):
    """A delivery that repeats every week on the same weekdays (a senior centre on Tuesdays
    and Fridays): the same goods to one address, bundled for a list of recipients. Its
    orders are made ahead, one checkout per date (`standing.standing_generate`)."""

    town = town_field(related_name="+")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="standing_orders",
                                 verbose_name=_("Kundin / Kunde"))
    name = models.CharField(_("Bezeichnung"), max_length=80)
    # The customer's own address: it goes with the account (erasure), and so does this.
    address = models.ForeignKey("geo.Address", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("Lieferadresse"))
    weekdays = models.JSONField(_("Wochentage"), default=list,
                                help_text=_("0 = Montag … 6 = Sonntag"))
    lines = models.JSONField(_("Waren"), default=list,
                             help_text=_("[{\"product_id\": …, \"quantity\": …}, …]"))
    recipients = models.JSONField(_("Empfänger"), default=list,
                                  help_text=_("[{\"name\": …, \"room\": …}, …]"))
    holidays = models.CharField(_("An Feiertagen"), max_length=8, choices=HolidayRule.choices,
                                default=HolidayRule.DROP)
    horizon_days = models.PositiveSmallIntegerField(_("Vorlauf (Tage)"), default=28)
    starts_on = models.DateField(_("ab"))
    ends_on = models.DateField(_("bis"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Dauerauftrag")
        verbose_name_plural = _("Daueraufträge")
        constraints = [models.CheckConstraint(
            name="standing_horizon_1_to_90", condition=models.Q(horizon_days__gte=1,
                                                                horizon_days__lte=90))]

    def __str__(self) -> str:
        return self.name


class StandingChange(models.Model):
    """One date of a standing order handled alone: skipped, or moved to another day."""

    standing = models.ForeignKey(StandingOrder, on_delete=models.CASCADE,
                                 related_name="changes")
    day = models.DateField(_("Termin laut Regel"))
    moved_to = models.DateField(_("verschoben auf"), null=True, blank=True,
                                help_text=_("leer: entfällt"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("Änderung eines Termins")
        verbose_name_plural = _("Änderungen einzelner Termine")
        constraints = [models.UniqueConstraint(fields=["standing", "day"],
                                               name="one_change_per_standing_date")]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: " + (f"auf {self.moved_to:%d.%m.%Y}" if self.moved_to
                                           else "entfällt")
