"""Forms of the console's money pages (`/betrieb/geld/`): amounts in euros with a decimal
comma, turned into cents here, so the services only ever see cents."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from louise.catalog.models import Merchant

from .forms import ConsoleForm


def day(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def euro(label, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_value=Decimal(100_000),
                              decimal_places=2, required=required, localize=True)


def cents(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


class SpanForm(ConsoleForm):
    valid_from = day(_("gültig ab"))
    valid_until = day(_("gültig bis (leer: bis auf Weiteres)"), required=False)


class CustomerFeesForm(SpanForm):
    door = euro(_("Haustür (€)"))
    point = euro(_("Abholstelle (€)"))
    locker = euro(_("Paketstation (€)"))
    service = euro(_("Hol- und Bringservice (€)"))
    shopping_list = euro(_("Einkaufszettel (€)"))
    free_above = euro(_("kostenlos ab Warenwert (€, leer: nie)"))
    pilot_free_until = day(_("Pilotphase kostenlos bis"), required=False)

    def amounts(self) -> dict:
        data = self.cleaned_data
        return {"door_cents": cents(data["door"]), "point_cents": cents(data["point"]),
                "locker_cents": cents(data["locker"]), "service_cents": cents(data["service"]),
                "shopping_list_cents": cents(data["shopping_list"]),
                "free_above_cents": (cents(data["free_above"])
                                     if data["free_above"] is not None else None),
                "pilot_free_until": data["pilot_free_until"]}


class MerchantFeesForm(SpanForm):
    merchant: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Geschäft"), queryset=Merchant.objects.none(), required=False,
        empty_label=_("alle Geschäfte der Stadt"))
    percent = forms.DecimalField(label=_("Anteil am Warenumsatz (%)"), min_value=Decimal(0),
                                 max_value=Decimal(100), decimal_places=2, required=False,
                                 localize=True)
    monthly = euro(_("Monatspauschale (€)"))
    per_order = euro(_("je Bestellung (€)"))
    per_parcel = euro(_("je abgeholtem Paket (€)"))
    per_counter = euro(_("je Thekenlieferung (€)"))

    def __init__(self, *args, merchants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants  # type: ignore[attr-defined]  # base Field

    def amounts(self) -> dict:
        data = self.cleaned_data
        return {"merchant_id": data["merchant"].pk if data["merchant"] else None,
                "percent_bp": cents(data["percent"]), "monthly_cents": cents(data["monthly"]),
                "per_order_cents": cents(data["per_order"]),
                "per_parcel_cents": cents(data["per_parcel"]),
                "per_counter_cents": cents(data["per_counter"])}


class CreditorForm(ConsoleForm):
    creditor_name = forms.CharField(label=_("Gläubiger (Name)"), max_length=70)
    creditor_id = forms.CharField(label=_("Gläubiger-Identifikationsnummer"), max_length=35)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)
    notice_days = forms.IntegerField(label=_("Vorabankündigung (Tage vorher)"), initial=1)
    block_after_returns = forms.IntegerField(label=_("Bestellsperre nach Rücklastschriften"),
                                             initial=2)


class RunForm(ConsoleForm):
    due = day(_("Fälligkeit"))


class CamtForm(ConsoleForm):
    file = forms.FileField(label=_("camt.054-Datei der Bank"))


class ReturnForm(ConsoleForm):
    reason = forms.CharField(label=_("Rückgabegrund (z. B. AC04)"), max_length=4)


class ClearReturnsForm(ConsoleForm):
    """The hotline's or the operator's note how a blocked customer's returns were settled.
    Not required here: `returns_clear` asks for it, after it has checked the customer is
    one of the town's (another town's customer is a 404 before any form error)."""

    note = forms.CharField(label=_("Wie geklärt? (z. B. überwiesen, neues Konto)"),
                           max_length=200, required=False)


class MonthForm(ConsoleForm):
    month = day(_("Monat (ein Tag darin)"))


class AccountForm(ConsoleForm):
    merchant: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Geschäft"), queryset=Merchant.objects.none())
    holder = forms.CharField(label=_("Kontoinhaber"), max_length=70)
    iban = forms.CharField(label=_("IBAN für Auszahlungen"), max_length=42)
    vat_id = forms.CharField(label=_("USt-IdNr. des Geschäfts"), max_length=20, required=False)

    def __init__(self, *args, merchants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants  # type: ignore[attr-defined]  # base Field
