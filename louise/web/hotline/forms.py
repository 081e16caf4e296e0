"""The hotline console's forms: plain fields; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from louise.hotline.models import CallReason

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
