"""The town's shops in the operator's console (`/betrieb/geschaefte/`): the list, onboarding
a new shop (address from the gazetteer, inside an active zone), inviting its owner, pausing
and resuming it, and its staff's access."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from louise.catalog.invitations import owner_invitation_create, staff_access_set
from louise.catalog.models import Category
from louise.catalog.onboarding import merchant_active_set, merchant_onboard, merchant_shopping_set
from louise.catalog.selectors import merchant_for_operator, merchant_team, merchants_of_town
from louise.core.errors import Conflict, Invalid
from louise.geo.selectors import street_suggestions, towns_of
from louise.web.access import AuthedRequest
from louise.web.backoffice.common import attempt
from louise.web.backoffice.forms import HoursForm

from .common import operator_page, operator_town


class OnboardForm(forms.Form):
    name = forms.CharField(label=_("Name des Geschäfts"), max_length=120)
    category = forms.ChoiceField(label=_("Kategorie"), choices=Category.choices)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    postcode = forms.RegexField(label=_("PLZ"), regex=r"^\d{5}$", widget=forms.TextInput(
        attrs={"inputmode": "numeric", "maxlength": 5}),
        error_messages={"invalid": _("Die PLZ hat fünf Ziffern.")})
    city = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    district = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        super().clean()
        if self.cleaned_data.get("lat") is None or self.cleaned_data.get("lon") is None:
            self.add_error("street", _("Bitte die Adresse aus der Vorschlagsliste wählen."))
        return self.cleaned_data


class OwnerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Inhaberin / des Inhabers"))


@operator_page
def merchant_list(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    return render(request, "operator/merchants.html", {
        "town": town, "towns": towns_of(request.user),
        "shops": merchants_of_town(user=request.user, town_id=town.pk)})


@operator_page
def merchant_new(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    post = request.POST if request.method == "POST" else None
    form, hours = OnboardForm(post), HoursForm(post, prefix="h")
    if post is not None and form.is_valid() and hours.is_valid():
        try:
            merchant = merchant_onboard(by=request.user, town=town, opening_hours=hours
                                        .cleaned_data["opening_hours"], **form.cleaned_data)
        except (Invalid, Conflict) as exc:  # shown at the field it is about
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("„%s“ ist angelegt. Jetzt die Inhaberin oder den "
                                        "Inhaber einladen.") % merchant.name)
            return redirect("web:operator_merchant", merchant_id=merchant.pk)
    return render(request, "operator/merchant_new.html", {
        "town": town, "form": form, "hours": hours})


@operator_page
def address_suggestions(request: AuthedRequest) -> JsonResponse:
    """The gazetteer's streets and houses for the onboarding form; whether the address lies
    in a zone is checked when the form is sent, with a message saying so."""
    return JsonResponse({"results": [
        {"label": s.label, "street": s.street, "housenumber": s.housenumber,
         "postcode": s.postcode, "city": s.city, "district": s.district, "lat": s.lat,
         "lon": s.lon}
        for s in street_suggestions(query=request.GET.get("q", ""))]})


@operator_page
def merchant_page(request: AuthedRequest, merchant_id: int) -> HttpResponse:
    merchant = merchant_for_operator(user=request.user, merchant_id=merchant_id)
    form = OwnerInviteForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        link = attempt(request, lambda: owner_invitation_create(
            by=request.user, merchant_id=merchant.pk, email=email,
            base_url=request.build_absolute_uri("/")), f"Einladung an {email} verschickt.")
        if link is not None:
            form = OwnerInviteForm()
    return render(request, "operator/merchant.html", {
        "merchant": merchant, "team": merchant_team(merchant=merchant), "form": form,
        "link": link})


@operator_page
@require_POST
def merchant_status(request: AuthedRequest, merchant_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    attempt(request, lambda: merchant_active_set(by=request.user, merchant_id=merchant_id,
                                                 active=active),
            lambda shop: f"„{shop.name}“ {'nimmt wieder teil' if active else 'ist pausiert'}.")
    return redirect("web:operator_merchant", merchant_id=merchant_id)


@operator_page
@require_POST
def merchant_shopping(request: AuthedRequest, merchant_id: int) -> HttpResponse:
    on = request.POST.get("on") == "1"
    attempt(request, lambda: merchant_shopping_set(by=request.user, merchant_id=merchant_id,
                                                   on=on),
            lambda shop: f"Einkaufsservice bei „{shop.name}“ {'an' if on else 'aus'}.")
    return redirect("web:operator_merchant", merchant_id=merchant_id)


@operator_page
@require_POST
def staff_access(request: AuthedRequest, merchant_id: int, user_id: int) -> HttpResponse:
    merchant = merchant_for_operator(user=request.user, merchant_id=merchant_id)
    active = request.POST.get("active") == "1"
    attempt(request, lambda: staff_access_set(by=request.user, user_id=user_id, active=active),
            lambda person: f"Zugang von {person.display_name} "
                           f"{'wieder freigegeben' if active else 'gesperrt'}.")
    return redirect("web:operator_merchant", merchant_id=merchant.pk)
