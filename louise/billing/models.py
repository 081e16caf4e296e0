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


class CustomerFees(models.Model):
    """What a town's customers pay for a delivery, for a span of days. Each order keeps the
    schedule that was in force when it was placed, so a new schedule never changes the past;
    spans of one town never overlap (`billing.fees.customer_fees_create`)."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True,
                                   help_text=_("leer: bis auf Weiteres"))
    door_cents = models.PositiveIntegerField(_("Haustür (Cent)"), default=0)
    point_cents = models.PositiveIntegerField(_("Abholstelle (Cent)"), default=0)
    locker_cents = models.PositiveIntegerField(_("Paketstation (Cent)"), default=0)
    free_above_cents = models.PositiveIntegerField(
        _("kostenlos ab Warenwert (Cent)"), null=True, blank=True)
    service_cents = models.PositiveIntegerField(_("Hol- und Bringservice (Cent)"), default=0)
    shopping_list_cents = models.PositiveIntegerField(_("Einkaufszettel (Cent)"), default=0)
    pilot_free_until = models.DateField(_("Pilotphase kostenlos bis"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Kundengebühren")
        verbose_name_plural = _("Kundengebühren")
        ordering = ["town", "valid_from"]
        constraints = [models.CheckConstraint(
            name="customer_fees_span_ordered",
            condition=models.Q(valid_until__isnull=True)
            | models.Q(valid_until__gte=models.F("valid_from")))]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.valid_from} – {self.valid_until or '…'}"


class MerchantFees(models.Model):
    """What a shop pays LOUISE, for a span of days: the town's schedule (no merchant) or one
    agreed with a single shop, which then takes precedence. Orders keep the schedule in force
    when they were placed."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey("catalog.Merchant", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("leer: gilt für alle Geschäfte der Stadt"))
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True,
                                   help_text=_("leer: bis auf Weiteres"))
    percent_bp = models.PositiveIntegerField(_("Anteil am Warenumsatz (Basispunkte)"),
                                             default=0)
    monthly_cents = models.PositiveIntegerField(_("Monatspauschale (Cent)"), default=0)
    per_order_cents = models.PositiveIntegerField(_("je Bestellung (Cent)"), default=0)
    per_parcel_cents = models.PositiveIntegerField(_("je abgeholtem Paket (Cent)"), default=0)
    per_counter_cents = models.PositiveIntegerField(_("je Thekenlieferung (Cent)"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Händlergebühren")
        verbose_name_plural = _("Händlergebühren")
        ordering = ["town", "merchant", "valid_from"]
        constraints = [models.CheckConstraint(
            name="merchant_fees_span_ordered",
            condition=models.Q(valid_until__isnull=True)
            | models.Q(valid_until__gte=models.F("valid_from")))]

    def __str__(self) -> str:
        return f"{self.town_id}/{self.merchant_id or '*'}: {self.valid_from}"

    @property
    def percent_text(self) -> str:
        """500 basis points → "5,00 %"."""
        return f"{self.percent_bp / 100:.2f} %".replace(".", ",")


class BillingSettings(models.Model):
    """A town's creditor for SEPA direct debits and its dunning rules; one row per town, made
    by the operator in the console (the town's own settings stay with `geo.Town`)."""

    town = models.OneToOneField("geo.Town", on_delete=models.PROTECT, related_name="+")
    creditor_name = models.CharField(_("Gläubiger"), max_length=70)
    creditor_id = models.CharField(_("Gläubiger-Identifikationsnummer"), max_length=35)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    vat_id = models.CharField(_("USt-IdNr."), max_length=20, blank=True)
    address = models.CharField(_("Anschrift"), max_length=200, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("Vorabankündigung (Tage vorher)"),
                                                   default=1)
    block_after_returns = models.PositiveSmallIntegerField(
        _("Sperre nach Rücklastschriften"), default=2)

    class Meta:
        verbose_name = _("Abrechnungseinstellungen")
        verbose_name_plural = _("Abrechnungseinstellungen")

    def __str__(self) -> str:
        return f"{self.creditor_name} ({self.creditor_id})"


class EntryKind(models.TextChoices):
    GOODS = "goods", _("Ware")
    DELIVERY = "delivery", _("Liefergebühr")
    SERVICE = "service", _("Dienstleistung")
    QUOTE = "quote", _("Reparatur laut Kostenvoranschlag")
    SHOPPING = "shopping", _("Einkauf laut Kassenbon")
    CANCELLED = "cancelled", _("Gutschrift Stornierung")
    FAILED = "failed", _("Gutschrift fehlgeschlagene Zustellung")
    REFUSED = "refused", _("Gutschrift Annahme verweigert")


class AppendOnly(Exception):
    """A booked ledger row was about to be changed or deleted."""


class LedgerEntry(models.Model):
    """One charge (positive) or credit (negative) to a customer, in cents; never changed or
    deleted: a mistake is corrected by a further entry. Which collection took it is
    recorded apart (`DebitLine`), so a returned debit re-opens its entries without touching
    them."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="ledger")
    merchant = models.ForeignKey("catalog.Merchant", null=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("für dessen Ware"))
    order = models.ForeignKey("orders.Order", null=True, on_delete=models.PROTECT,
                              related_name="ledger")
    kind = models.CharField(_("Art"), max_length=12, choices=EntryKind.choices)
    amount_cents = models.IntegerField(_("Betrag (Cent)"))
    at = models.DateTimeField(_("gebucht am"), default=timezone.now)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["id"]
        constraints = [models.CheckConstraint(name="ledger_entry_not_zero",
                                              condition=~models.Q(amount_cents=0))]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly("Eine Buchung wird nie geändert, nur durch eine weitere "
                             "ausgeglichen.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Eine Buchung wird nie gelöscht.")


class CollectionRun(models.Model):
    """One SEPA direct-debit file of a town for one due date; made once (unique), so a second
    run for the same date answers with this one."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("Fälligkeit"))
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    message_id = models.CharField(max_length=35)
    xml = models.TextField()
    total_cents = models.PositiveIntegerField(_("Summe (Cent)"), default=0)
    count = models.PositiveIntegerField(_("Lastschriften"), default=0)

    class Meta:
        verbose_name = _("Einzugslauf")
        verbose_name_plural = _("Einzugsläufe")
        ordering = ["-due", "-id"]
        constraints = [models.UniqueConstraint(fields=["town", "due"],
                                               name="collection_run_per_town_and_due")]

    def __str__(self) -> str:
        return f"{self.town_id} {self.due}"


class DebitStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingereicht")
    RETURNED = "returned", _("zurückgegeben")


class Debit(models.Model):
    """One direct debit of a run: a customer's open entries, netted, under one end-to-end id."""

    run = models.ForeignKey(CollectionRun, on_delete=models.PROTECT, related_name="debits")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="debits")
    # Kept in the run's file; an erased customer's mandate goes, the debit's record stays.
    mandate = models.ForeignKey(SepaMandate, null=True, on_delete=models.SET_NULL,
                                related_name="debits")
    end_to_end_id = models.CharField(max_length=35, unique=True)
    sequence = models.CharField(max_length=4)  # FRST or RCUR
    amount_cents = models.PositiveIntegerField(_("Betrag (Cent)"))
    status = models.CharField(_("Status"), max_length=10, choices=DebitStatus.choices,
                              default=DebitStatus.SUBMITTED)
    return_reason = models.CharField(_("Rückgabegrund"), max_length=4, blank=True)
    returned_at = models.DateTimeField(_("zurückgegeben am"), null=True, blank=True)
    notified_at = models.DateTimeField(_("vorab angekündigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lastschrift")
        verbose_name_plural = _("Lastschriften")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.end_to_end_id


class DebitLine(models.Model):
    """An entry taken by a debit. `standing` stays true while the debit stands; a return sets it
    false, and the entry is open for the next run. At most one standing line per entry (a
    database constraint), so two runs can never debit one charge twice."""

    debit = models.ForeignKey(Debit, on_delete=models.PROTECT, related_name="lines")
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="debit_lines")
    standing = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry"],
                                               condition=models.Q(standing=True),
                                               name="entry_debited_once")]

    def __str__(self) -> str:
        return f"{self.debit_id}: {self.entry_id}"


class InvoicePayer(models.Model):
    """A customer the operator or the hotline lets pay by invoice: they order without a SEPA
    mandate, and their charges go on a monthly invoice instead of into a collection run.
    The row is the permission; taking it back deletes it (both audited)."""

    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="invoice_payer")
    allowed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    allowed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zahlung auf Rechnung")
        verbose_name_plural = _("Zahlung auf Rechnung")

    def __str__(self) -> str:
        return str(self.customer_id)


class CustomerInvoice(models.Model):
    """What a customer who pays by invoice owes for their open ledger entries: one document,
    numbered without gaps per town and year in a series of its own ("KR-…"), never changed.
    The entries it took are recorded apart (`InvoicedEntry`), so no collection run and no
    later invoice takes them again."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="invoices")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_on = models.DateField(_("Rechnungsdatum"))
    due_on = models.DateField(_("zahlbar bis"))
    total_cents = models.IntegerField(_("Betrag (Cent)"))
    pdf = models.BinaryField(_("PDF"))

    class Meta:
        verbose_name = _("Kundenrechnung")
        verbose_name_plural = _("Kundenrechnungen")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["town", "year", "number"],
                                               name="customer_invoice_number_per_town_and_year")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly("Eine Rechnung wird nie geändert.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"KR-{self.town_id}-{self.year}-{self.number:05d}"


class InvoicedEntry(models.Model):
    """A ledger entry a customer invoice took; once per entry (a database constraint)."""

    invoice = models.ForeignKey(CustomerInvoice, on_delete=models.PROTECT, related_name="lines")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="invoiced")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.entry_id}"


class ReturnsCleared(models.Model):
    """The hotline has settled a customer's returned debits: returns before `at` no longer
    block new orders."""

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.customer_id} {self.at:%Y-%m-%d}"


class MerchantAccount(models.Model):
    """Where a shop's payouts go, and its VAT id for LOUISE's invoices."""

    merchant = models.OneToOneField("catalog.Merchant", on_delete=models.CASCADE,
                                    related_name="+")
    holder = models.CharField(_("Kontoinhaber"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    vat_id = models.CharField(_("USt-IdNr."), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Auszahlungskonto")
        verbose_name_plural = _("Auszahlungskonten")

    def __str__(self) -> str:
        return f"{self.holder} ({self.iban[:4]} … {self.iban[-4:]})"


class Invoice(models.Model):
    """LOUISE's invoice for a shop's fees, numbered without gaps per town and year. Never
    changed: a mistake is undone by a credit note (`cancels`), a document of its own in the
    same sequence with negated amounts."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_on = models.DateField(_("Rechnungsdatum"))
    period_start = models.DateField()
    period_end = models.DateField()
    lines = models.JSONField(default=list)  # [{"label", "quantity", "net_cents"}]
    net_cents = models.IntegerField(_("netto (Cent)"))
    vat_cents = models.IntegerField(_("USt. (Cent)"))
    cancels = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="credit_note")
    pdf = models.BinaryField(_("PDF mit Factur-X"))

    class Meta:
        verbose_name = _("Rechnung")
        verbose_name_plural = _("Rechnungen")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["town", "year", "number"],
                                               name="invoice_number_per_town_and_year")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly("Eine Rechnung wird nie geändert, nur durch eine Gutschrift "
                             "storniert.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"RE-{self.town_id}-{self.year}-{self.number:05d}"

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


class Statement(models.Model):
    """A shop's month: the goods LOUISE collected for it, its fees (and their invoice), a
    negative balance carried from its last statement, and what is paid out (goods − fees +
    carried; a negative result is carried on, see `reports.statements`). Made once per shop
    and month."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT,
                                 related_name="statements")
    month = models.DateField(_("Monat"))  # its first day
    goods_cents = models.IntegerField(_("eingezogene Ware (Cent)"))
    fees = models.JSONField(default=list)  # [{"label", "quantity", "net_cents"}]
    fees_gross_cents = models.IntegerField(_("Gebühren brutto (Cent)"))
    # A month that ended negative (fees above goods) is paid by no transfer: its balance is
    # carried into the shop's next statement, never positive.
    carried_cents = models.IntegerField(_("Übertrag aus dem Vormonat (Cent)"), default=0)
    payout_cents = models.IntegerField(_("Auszahlung (Cent)"))
    invoice = models.OneToOneField(Invoice, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="statement")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Monatsabrechnung")
        verbose_name_plural = _("Monatsabrechnungen")
        ordering = ["-month", "merchant"]
        constraints = [models.UniqueConstraint(fields=["merchant", "month"],
                                               name="statement_per_merchant_and_month")]

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.month:%m/%Y}"


class PayoutRun(models.Model):
    """The SEPA credit transfer file (pain.001.001.03) paying a town's shops for a month."""

    town = models.ForeignKey("geo.Town", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Monat"))
    created_at = models.DateTimeField(default=timezone.now)
    xml = models.TextField()
    total_cents = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Auszahlungslauf")
        verbose_name_plural = _("Auszahlungsläufe")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["town", "month"],
                                               name="payout_run_per_town_and_month")]

    def __str__(self) -> str:
        return f"{self.town_id} {self.month:%m/%Y}"
