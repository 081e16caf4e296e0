"""Forms of the customer shop. They only parse and check the shape of the input; the rules
(zones, stock, slots, IBANs) live in the services, whose errors are put back on the field
they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from louise.accounts.models import NotificationPreferences, User
from louise.billing.selectors import mandate_active, pays_by_invoice
from louise.core.errors import DomainError
from louise.geo.models import Address, Locker, PickupPoint, Town
from louise.geo.selectors import addresses_of
from louise.orders.checkout import MandateRequest
from louise.orders.models import DeliveryMethod
from louise.orders.slots import SlotChoice

POSTCODE = forms.RegexField(label=_("PLZ"), regex=r"^\d{5}$", max_length=5,
                            error_messages={"invalid": _("Postleitzahl hat fünf Ziffern.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                          "autocomplete": "postal-code"}))


def show_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal, shown at the field it names (or above the form)."""
    field = {"address_id": "address", "pickup_point_id": "pickup_point",
             "locker_id": "locker", "idempotency_key": None, "budget_cents": "budget",
             "username": "email"}.get(exc.field or "", exc.field)  # the e-mail is the login
    form.add_error(field if field in form.fields else None, exc.message)


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Bezeichnung (z. B. Zuhause, Büro)"), max_length=40,
                            required=False)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120,
                             widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postcode = POSTCODE
    city = forms.CharField(label=_("Ort"), max_length=80, initial="Bottrop",
                           widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    notes = forms.CharField(label=_("Hinweise für den Kurier (z. B. Hinterhaus)"),
                            max_length=200, required=False)
    # Offered once the street was not found: a new street our directory lacks.
    confirm_unknown_street = forms.BooleanField(
        label=_("Die Straße stimmt so – bitte trotzdem übernehmen (wir prüfen die Adresse)"),
        required=False)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nachname"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    phone = forms.CharField(label=_("Telefon (für den Kurier)"), max_length=32,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))


class RegisterForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nachname"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("E-Mail-Adresse"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Telefon (für den Kurier)"), max_length=32,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    street = AddressForm.base_fields["street"]
    postcode = POSTCODE
    city = AddressForm.base_fields["city"]
    confirm_unknown_street = AddressForm.base_fields["confirm_unknown_street"]
    password = forms.CharField(label=_("Passwort (mindestens 8 Zeichen)"), min_length=8,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    privacy = forms.BooleanField(label=_("Ich habe die Datenschutzhinweise gelesen."))


def _slot_field(slots: list[SlotChoice], label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, widget=forms.RadioSelect,
                             choices=[(s.value, s.wave.label) for s in slots if not s.full],
                             error_messages={"required": _("Bitte wählen Sie ein Zeitfenster.")})


class MandateFields(forms.Form):
    """SEPA mandate fields, shown only while the customer has no valid mandate and does not
    pay by invoice."""

    def __init__(self, *args, customer: User, replace: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # `replace`: the customer gives a new mandate for another account.
        self.mandate = None if replace else mandate_active(customer=customer)
        self.by_invoice = not replace and self.mandate is None and pays_by_invoice(customer)
        if self.mandate is None and not self.by_invoice:
            self.fields["holder"] = forms.CharField(label=_("Kontoinhaber"), max_length=70,
                                                    initial=customer.display_name)
            self.fields["iban"] = forms.CharField(
                label=_("IBAN"), max_length=42,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                              "placeholder": "DE.. .... .... .... .... .."}))
            self.fields["mandate_consent"] = forms.BooleanField(
                label=_("Ich erteile das SEPA-Lastschriftmandat wie oben beschrieben."))

    def mandate_request(self) -> MandateRequest | None:
        if self.mandate is not None or self.by_invoice:
            return None
        return MandateRequest(holder=self.cleaned_data["holder"], iban=self.cleaned_data["iban"])


def _rows_once(field: forms.Field) -> list:
    """The field's rows, read once and given to its widget as fixed choices: Django's
    select reads the queryset once to decide on `required` and again to draw the options
    (the checkout page asked for its addresses, points and lockers three times each). The
    choice a customer posts is still checked against the queryset."""
    rows = list(field.queryset)
    field.choices = [(field.prepare_value(row), field.label_from_instance(row)) for row in rows]
    return rows


class CheckoutForm(MandateFields):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    method = forms.ChoiceField(label=_("Wohin sollen wir liefern?"), widget=forms.RadioSelect,
                               choices=DeliveryMethod.choices, initial=DeliveryMethod.DOOR)
    address = forms.ModelChoiceField(label=_("Lieferadresse"), queryset=None, required=False,
                                     empty_label=None)
    pickup_point = forms.ModelChoiceField(label=_("Abholstelle"), required=False,
                                          queryset=PickupPoint.objects.filter(active=True)
                                          .order_by("name"), empty_label=None)
    locker = forms.ModelChoiceField(
        label=_("Paketstation"), required=False, empty_label=None,
        queryset=Locker.objects.filter(active=True).order_by("name").with_free())
    notes = forms.CharField(label=_("Hinweis zur Lieferung"), max_length=300, required=False)

    def __init__(self, *args, customer: User, slots: list[SlotChoice], town: Town, **kwargs):
        super().__init__(*args, customer=customer, **kwargs)
        self.fields["address"].queryset = addresses_of(user=customer)
        points, lockers = self.fields["pickup_point"], self.fields["locker"]
        points.queryset = points.queryset.filter(town=town)
        lockers.queryset = lockers.queryset.filter(town=town)
        self.fields["locker"].label_from_instance = lambda locker: ngettext(
            "%(name)s – %(free)d Fach frei", "%(name)s – %(free)d Fächer frei", locker.free) % {
            "name": locker.name, "free": locker.free}
        self.fields["slot"] = _slot_field(slots, _("Lieferzeitfenster"))

    def places(self) -> tuple[list[Address], list[PickupPoint], list[Locker]]:
        """The customer's addresses, the town's pickup points and lockers, read for drawing
        the page only: an order that goes through needs none of the lists (the one place
        chosen is checked by its field and again by the checkout)."""
        return (_rows_once(self.fields["address"]), _rows_once(self.fields["pickup_point"]),
                _rows_once(self.fields["locker"]))


class ServiceBookingForm(MandateFields):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    item_description = forms.CharField(
        label=_("Was sollen wir abholen, und was ist zu tun?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(label=_("Foto (freiwillig)"), required=False)
    address = forms.ModelChoiceField(label=_("Abholen an der Adresse"), queryset=None,
                                     empty_label=None)

    def __init__(self, *args, customer: User, slots: list[SlotChoice], **kwargs):
        super().__init__(*args, customer=customer, **kwargs)
        self.fields["address"].queryset = addresses_of(user=customer).filter(zone__active=True)
        self.fields["slot"] = _slot_field(slots, _("Abholzeitfenster"))


class ShoppingListForm(MandateFields):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    items = forms.CharField(label=_("Einkaufszettel (ein Artikel je Zeile)"), max_length=6000,
                            widget=forms.Textarea(attrs={"rows": 6}))
    budget = forms.CharField(label=_("Budget (€)"), max_length=12,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    substitutions = forms.CharField(
        label=_("Ersatzwünsche (z. B. „wenn keine Bio-Milch, dann normale“)"), max_length=500,
        required=False, widget=forms.Textarea(attrs={"rows": 2}))
    address = forms.ModelChoiceField(label=_("Lieferadresse"), queryset=None, empty_label=None)

    def __init__(self, *args, customer: User, slots: list[SlotChoice], **kwargs):
        super().__init__(*args, customer=customer, **kwargs)
        self.fields["address"].queryset = addresses_of(user=customer).filter(zone__active=True)
        self.fields["slot"] = _slot_field(slots, _("Lieferzeitfenster"))


class RescheduleForm(forms.Form):
    def __init__(self, *args, slots: list[SlotChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"] = _slot_field(slots, _("Neues Zeitfenster"))


class ReturnForm(RescheduleForm):
    locker = forms.ModelChoiceField(
        label=_("Wohin zurück?"), required=False, empty_label=_("an die Haustür, wie abgeholt"),
        queryset=Locker.objects.filter(active=True).order_by("name"))

    def __init__(self, *args, slots: list[SlotChoice], town: Town, **kwargs):
        super().__init__(*args, slots=slots, **kwargs)
        self.fields["slot"].label = _("Rückgabe im Zeitfenster")
        lockers = self.fields["locker"]
        lockers.queryset = lockers.queryset.filter(town=town)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = ["confirmed", "on_its_way", "delivered", "failed", "locker_code"]
