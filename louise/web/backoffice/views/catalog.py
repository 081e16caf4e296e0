"""The shop's catalogue: products and services, one form each, and CSV in and out."""

from functools import partial

from django.http import HttpResponse
from django.shortcuts import redirect, render

from louise.catalog import services
from louise.catalog.csv_io import COLUMNS, catalog_export, catalog_import
from louise.catalog.selectors import (
    product_for_staff,
    products_of_staff,
    service_for_staff,
    services_of_staff,
)
from louise.web.access import AuthedRequest

from ..common import attempt, merchant_page, shop_of
from ..forms import ImportForm, ProductForm, ServiceForm


@merchant_page
def catalog_page(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    products, offers = products_of_staff(user=request.user), services_of_staff(user=request.user)
    if query:
        products, offers = (products.filter(name__icontains=query),
                            offers.filter(name__icontains=query))
    return render(request, "backoffice/catalog.html", {
        "products": products, "services": offers, "q": query, "nav": "catalog"})


def _edit(request: AuthedRequest, form_class, instance, create, title: str) -> HttpResponse:
    """One form page for both kinds of entry: new (instance None) or existing."""
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {**{k: v for k, v in form.cleaned_data.items() if k != "price"},
                  "price_cents": form.price_cents()}
        if instance is None:
            action, done = partial(create, merchant=shop_of(request)), "angelegt"
        else:
            action, done = partial(services.catalog_entry_update, entry=instance), "gespeichert"
        if attempt(request, lambda: action(**fields), f"„{fields['name']}“ {done}."):
            return redirect("web:backoffice:catalog")
    return render(request, "backoffice/catalog_form.html", {
        "form": form, "title": title, "nav": "catalog", "instance": instance})


@merchant_page
def product_edit(request: AuthedRequest, product_id: int | None = None) -> HttpResponse:
    product = product_for_staff(user=request.user, product_id=product_id) if product_id else None
    return _edit(request, ProductForm, product, services.product_create,
                 product.name if product else "Neues Produkt")


@merchant_page
def service_edit(request: AuthedRequest, service_id: int | None = None) -> HttpResponse:
    offer = service_for_staff(user=request.user, service_id=service_id) if service_id else None
    return _edit(request, ServiceForm, offer, services.service_offer_create,
                 offer.name if offer else "Neue Dienstleistung")


@merchant_page
def catalog_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(catalog_export(merchant=shop_of(request)),
                            content_type="text/csv; charset=utf-8")
    slug = shop_of(request).slug
    response["Content-Disposition"] = f'attachment; filename="katalog-{slug}.csv"'
    return response


@merchant_page
def catalog_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = attempt(request, lambda: catalog_import(
            merchant=shop_of(request), data=form.cleaned_data["file"].read()))
    return render(request, "backoffice/catalog_import.html", {
        "form": form, "report": report, "columns": ";".join(COLUMNS), "nav": "catalog"})
