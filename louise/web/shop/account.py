"""Signing up, the customer's account (addresses, e-mails, mandate) and their GDPR rights."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.accounts.models import NotificationPreferences
from louise.accounts.services import profile_update
from louise.billing.selectors import invoices_of_customer, mandate_active, pays_by_invoice
from louise.billing.services import mandate_create
from louise.core.errors import DomainError, NotFound
from louise.customers.privacy import customer_data_export, customer_erase
from louise.customers.registration import address_add, address_remove, customer_register
from louise.geo.selectors import addresses_of, nearest_drop_points
from louise.web.access import AuthedRequest
from louise.web.downloads import invoice_download

from .common import customer_page, next_url
from .forms import (
    AddressForm,
    MandateFields,
    PreferencesForm,
    ProfileForm,
    RegisterForm,
    show_error,
)
from .orders import mandate_context


def _outside_message(request: HttpRequest, alternatives: list) -> None:
    if alternatives:
        names = ", ".join(place.name for place in alternatives)
        messages.warning(request, _(
            "Ihre Adresse liegt außerhalb des Liefergebiets. An die Haustür können wir dort "
            "noch nicht liefern – aber an eine Abholstelle oder Paketstation in Ihrer Nähe: "
            "%s.") % names)


def register(request: HttpRequest) -> HttpResponse:
    """Public: anyone may sign up as a customer."""
    if request.user.is_authenticated:
        return redirect("web:start")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = customer_register(
                email=data["email"], password=data["password"], first_name=data["first_name"],
                last_name=data["last_name"], phone=data["phone"], street=data["street"],
                postcode=data["postcode"], city=data["city"],
                confirm_unknown_street=data["confirm_unknown_street"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            login(request, done.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Willkommen bei LOUISE, %s!") % done.user.first_name)
            _outside_message(request, done.alternatives)
            return redirect(next_url(request, "web:shop:account"))
    return render(request, "shop/register.html", {"form": form})


@customer_page
def account(request: AuthedRequest) -> HttpResponse:
    prefs = (NotificationPreferences.objects.filter(user=request.user).first()
             or NotificationPreferences(user=request.user))
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre E-Mail-Einstellungen sind gespeichert."))
        return redirect("web:shop:account")
    addresses = [(a, [] if a.zone and a.zone.active else nearest_drop_points(lat=a.lat,
                                                                            lon=a.lon))
                 for a in addresses_of(user=request.user)]
    return render(request, "shop/account.html", {
        "form": form, "addresses": addresses, "mandate": mandate_active(customer=request.user),
        "by_invoice": pays_by_invoice(request.user),
        "invoices": invoices_of_customer(request.user)})


@customer_page
def invoice_pdf(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    """One of the customer's own invoices."""
    invoice = invoices_of_customer(request.user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("Diese Rechnung gibt es nicht.")
    return invoice_download(invoice)


@customer_page
def profile(request: AuthedRequest) -> HttpResponse:
    """Name and phone, as the courier and the shops see them."""
    user = request.user
    form = ProfileForm(request.POST or None, initial={
        "first_name": user.first_name, "last_name": user.last_name, "phone": user.phone})
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Ihre Angaben sind gespeichert."))
            return redirect("web:shop:account")
    return render(request, "shop/profile.html", {"form": form})


@customer_page
def payment(request: AuthedRequest) -> HttpResponse:
    """A new SEPA mandate for another account; it replaces the old one for new orders."""
    form = MandateFields(request.POST or None, customer=request.user, replace=True)
    if request.method == "POST" and form.is_valid():
        try:
            mandate_create(customer=request.user, holder=form.cleaned_data["holder"],
                           iban=form.cleaned_data["iban"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Das neue Lastschriftmandat gilt ab der nächsten "
                                        "Bestellung."))
            return redirect("web:shop:account")
    return render(request, "shop/payment.html", {
        "form": form, "mandate": mandate_active(customer=request.user), **mandate_context()})


@customer_page
def address_new(request: AuthedRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _address, alternatives = address_add(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Die Adresse ist gespeichert."))
            _outside_message(request, alternatives)
            return redirect(next_url(request, "web:shop:account"))
    return render(request, "shop/address_new.html", {"form": form})


@customer_page
@require_POST
def address_remove_view(request: AuthedRequest, address_id: int) -> HttpResponse:
    address_remove(owner=request.user, address_id=address_id)
    messages.success(request, _("Die Adresse ist entfernt."))
    return redirect("web:shop:account")


@customer_page
def data_export(request: AuthedRequest) -> HttpResponse:
    data = customer_data_export(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="louise-daten-{day}.json"'
    return response


@customer_page
def account_delete(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/account_delete.html")


@customer_page
@require_POST
def account_delete_confirm(request: AuthedRequest) -> HttpResponse:
    try:
        customer_erase(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:shop:account_delete")
    logout(request)
    messages.success(request, _("Ihr Konto und Ihre persönlichen Daten sind gelöscht."))
    return redirect("web:home")
