"""Back-office forms: prices in euros on screen, cents in the database."""

from datetime import time
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from louise.catalog.models import Merchant, Product, ServiceOffer
from louise.core.hours import WEEKDAY_NAMES
from louise.core.money import euros
from louise.logistics.counter import SIZE_LABELS

# German keyboards type "12,90": a localized text field with the decimal keypad.
EURO: dict[str, Any] = {
    "max_digits": 9, "decimal_places": 2, "min_value": Decimal("0.00"), "localize": True,
    "widget": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})}


MAX_CSV_BYTES = 2 * 1024 * 1024  # some 10,000 catalogue lines


def _not_larger(upload, limit: int):
    if upload.size > limit:
        raise forms.ValidationError(_("Die Datei ist zu groß (höchstens %(mb)d MB).")
                                    % {"mb": limit // (1024 * 1024)})
    return upload


class PriceMixin(forms.ModelForm):
    """Shows `price_cents` as a euro field `price`."""

    price_required = True
    Meta: Any  # the concrete form's

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"] = forms.DecimalField(label=_("Preis (€)"),
                                                  required=self.price_required, **EURO)
        self.order_fields(["name", "price", *self.Meta.fields])
        if self.instance.price_cents is not None:
            self.initial["price"] = euros(self.instance.price_cents)

    def price_cents(self) -> int | None:
        price = self.cleaned_data.get("price")
        return None if price is None else int(price * 100)


class ProductForm(PriceMixin):
    class Meta:
        model = Product
        fields = ["name", "description", "vat_rate", "stock", "weight_g", "volume_ml", "cooled",
                  "bulky", "photo", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ServiceForm(PriceMixin):
    price_required = False

    class Meta:
        model = ServiceOffer
        fields = ["name", "description", "quote_after_inspection", "vat_rate",
                  "turnaround_days", "weight_g", "volume_ml", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV-Datei"), widget=forms.ClearableFileInput(
        attrs={"accept": ".csv,text/csv"}))

    def clean_file(self):
        return _not_larger(self.cleaned_data["file"], MAX_CSV_BYTES)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Grund für die Ablehnung"), min_length=3, max_length=200)


class ReadyForm(forms.Form):
    parcels = forms.IntegerField(label=_("Pakete"), min_value=1, max_value=20, initial=1)


class InspectForm(forms.Form):
    findings = forms.CharField(label=_("Befund"), max_length=250,
                               widget=forms.Textarea(attrs={"rows": 3}))
    quote = forms.DecimalField(label=_("Kostenvoranschlag (€), leer lassen ohne"),
                               required=False, **EURO)

    def quote_cents(self) -> int | None:
        quote = self.cleaned_data.get("quote")
        return None if quote is None else int(quote * 100)


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Etikett scannen oder Bestellnummer eingeben"),
                           max_length=60, widget=forms.TextInput(
                               attrs={"autofocus": True, "autocomplete": "off"}))


class CounterForm(forms.Form):
    recipient_name = forms.CharField(label=_("Empfänger"), max_length=120)
    recipient_phone = forms.CharField(label=_("Telefon (für den Fahrer)"), max_length=32,
                                      required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}))
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    postcode = forms.RegexField(label=_("PLZ"), regex=r"^\d{5}$", widget=forms.TextInput(
        attrs={"inputmode": "numeric", "maxlength": 5}))
    district = forms.CharField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    parcels = forms.IntegerField(label=_("Pakete"), min_value=1, max_value=20, initial=1)
    size = forms.ChoiceField(label=_("Größe je Paket"), choices=list(SIZE_LABELS.items()),
                             initial="S", widget=forms.RadioSelect)
    cooled = forms.BooleanField(label=_("muss gekühlt werden"), required=False)
    notes = forms.CharField(label=_("Hinweis für den Fahrer"), max_length=200, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Merchant
        fields = ["description", "category", "phone", "email", "pack_minutes",
                  "closed_on_holidays"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


SPAN_PARTS = {"open1": "öffnet", "close1": "schließt", "open2": "öffnet wieder",
              "close2": "schließt wieder"}


def _span_fields(prefix: str, day: str) -> dict[str, forms.Field]:
    """Four time inputs, each labelled for screen readers ("Mo öffnet")."""
    return {f"{prefix}_{part}": forms.TimeField(
        required=False, label=f"{day} {words}", widget=forms.TimeInput(
            attrs={"type": "time", "aria-label": f"{day} {words}"}, format="%H:%M"))
        for part, words in SPAN_PARTS.items()}


class HoursForm(forms.Form):
    """The week as seven rows of up to two spans (e.g. 9–13 and 14:30–18:30)."""

    def __init__(self, *args, hours: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for day in range(7):
            self.fields.update(_span_fields(f"d{day}", WEEKDAY_NAMES[day]))
            for n, (opens, closes) in enumerate((hours or {}).get(str(day), [])[:2], start=1):
                self.initial[f"d{day}_open{n}"] = opens
                self.initial[f"d{day}_close{n}"] = "23:59" if closes == "24:00" else closes

    def rows(self) -> list[tuple[str, list]]:
        return [(WEEKDAY_NAMES[d], [self[f"d{d}_{p}"] for p in SPAN_PARTS]) for d in range(7)]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        data["opening_hours"] = {str(day): spans for day in range(7)
                                 if (spans := spans_from(data, f"d{day}"))}
        return data


def spans_from(data: dict, prefix: str) -> list[list[str]]:
    """Pairs of filled-in times as ["HH:MM", "HH:MM"]; a half-filled pair is an error."""
    spans = []
    for n in (1, 2):
        opens, closes = data.get(f"{prefix}_open{n}"), data.get(f"{prefix}_close{n}")
        if opens is None and closes is None:
            continue
        if opens is None or closes is None:
            raise forms.ValidationError(_("Bitte immer Beginn und Ende angeben."))
        spans.append([opens.strftime("%H:%M"),
                      "24:00" if closes == time(23, 59) else closes.strftime("%H:%M")])
    return spans


class ExceptionForm(forms.Form):
    day = forms.DateField(label=_("Tag"), widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("ganztägig geschlossen"), required=False, initial=True)
    note = forms.CharField(label=_("Anlass (z. B. Betriebsferien)"), max_length=80,
                           required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_span_fields("x", "An diesem Tag"))

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        data["spans"] = [] if data.get("closed") else spans_from(data, "x")
        return data


class PhotoForm(forms.Form):
    """The photo's size and content are checked where every upload is (core.images)."""

    image = forms.ImageField(label=_("Foto"))
    caption = forms.CharField(label=_("Bildunterschrift"), max_length=120, required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der neuen Kollegin / des Kollegen"))
