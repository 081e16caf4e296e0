"""The hotline console's forms: plain fields; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from louise.hotline.models import CallReason, HolidayRule

# A date field the browser offers a calendar for (it wants ISO dates).
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallerForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    phone = forms.CharField(label=_("Telefon"), max_length=32)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120)
    postcode = forms.CharField(label=_("PLZ"), max_length=10)


class CallForm(forms.Form):
    reason = forms.ChoiceField(label=_("Anlass"), choices=CallReason.choices)
    notes = forms.CharField(label=_("Notizen"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = forms.DateField(label=_("Rückruf am"), required=False,
                                   widget=DAY)


class PaperMandateForm(forms.Form):
    holder = forms.CharField(label=_("Kontoinhaber/in"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    received_on = forms.DateField(label=_("Formular erhalten am"),
                                  widget=DAY)


WEEKDAYS = [(0, _("Mo")), (1, _("Di")), (2, _("Mi")), (3, _("Do")), (4, _("Fr")),
            (5, _("Sa")), (6, _("So"))]


class StandingForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=80)
    address = forms.TypedChoiceField(label=_("Lieferadresse"), coerce=int)
    weekdays = forms.TypedMultipleChoiceField(label=_("Wochentage"), choices=WEEKDAYS,
                                              coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    recipients = forms.CharField(
        label=_("Empfänger (eine Zeile je Person: Name, Zimmer)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}))
    holidays = forms.ChoiceField(label=_("An Feiertagen"), choices=HolidayRule.choices)
    horizon_days = forms.IntegerField(label=_("Vorlauf (Tage)"), initial=28)
    starts_on = forms.DateField(label=_("ab"), widget=DAY)

    def __init__(self, *args, addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        address = self.fields["address"]
        assert isinstance(address, forms.TypedChoiceField)
        address.choices = [(a.pk, a.one_line) for a in addresses]


class DateChangeForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    moved_to = forms.DateField(label=_("verschieben auf"), required=False, widget=DAY)
