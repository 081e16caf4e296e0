"""The shop's profile: description, contact, weekly hours, special days, photos, the
embeddable "Liefern lassen mit LOUISE" button."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from louise.catalog import services
from louise.catalog.models import Merchant
from louise.catalog.selectors import merchant_hours_on
from louise.core.calendar import BERLIN
from louise.web.access import AuthedRequest

from ..common import attempt, merchant_page, shop_of, submit
from ..forms import ExceptionForm, HoursForm, PhotoForm, ProfileForm


@merchant_page
def profile_page(request: AuthedRequest) -> HttpResponse:
    merchant = shop_of(request)
    post = request.POST if request.method == "POST" else None
    form = ProfileForm(post, instance=merchant, prefix="p")
    hours = HoursForm(post, hours=merchant.opening_hours, prefix="h")
    if post is not None and form.is_valid() and hours.is_valid():
        fields = {**form.cleaned_data, "opening_hours": hours.cleaned_data["opening_hours"]}
        if attempt(request, lambda: services.merchant_update(merchant=merchant, **fields),
                   "Profil gespeichert."):
            return redirect("web:backoffice:profile")
    today = timezone.now().astimezone(BERLIN).date()
    return render(request, "backoffice/profile.html", {
        "form": form, "hours": hours, "exception_form": ExceptionForm(prefix="x"),
        "photo_form": PhotoForm(), "exceptions": merchant.opening_exceptions.filter(
            day__gte=today), "photos": merchant.photos.all(), "nav": "profile",
        "next_days": [merchant_hours_on(merchant=merchant, day=today + timedelta(days=n))
                      for n in range(14)],
    })


@merchant_page
@require_POST
def exception_add(request: AuthedRequest) -> HttpResponse:
    submit(request, ExceptionForm(request.POST, prefix="x"),
           lambda data: services.opening_exception_set(
               merchant=shop_of(request), day=data["day"], closed=data["closed"],
               hours=data["spans"], note=data["note"]),
           lambda saved: f"Sonderöffnungszeit für den {saved.day:%d.%m.%Y} gespeichert.")
    return redirect("web:backoffice:profile")


@merchant_page
@require_POST
def exception_delete(request: AuthedRequest, exception_id: int) -> HttpResponse:
    services.opening_exception_delete(merchant=shop_of(request), exception_id=exception_id)
    return redirect("web:backoffice:profile")


@merchant_page
@require_POST
def photo_add(request: AuthedRequest) -> HttpResponse:
    submit(request, PhotoForm(request.POST, request.FILES),
           lambda data: services.merchant_photo_add(merchant=shop_of(request), **data),
           "Foto hochgeladen.")
    return redirect("web:backoffice:profile")


@merchant_page
@require_POST
def photo_delete(request: AuthedRequest, photo_id: int) -> HttpResponse:
    services.merchant_photo_delete(merchant=shop_of(request), photo_id=photo_id)
    return redirect("web:backoffice:profile")


@merchant_page
def button_page(request: AuthedRequest) -> HttpResponse:
    merchant = shop_of(request)
    link = request.build_absolute_uri(f"/laden/zu/{merchant.slug}/")
    return render(request, "backoffice/button.html", {
        "link": link, "nav": "profile", "merchant": merchant})


def shop_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: where the embedded button and the shared link lead — the shop's page in the
    customer shop. A link of its own, so the shop page may move without breaking websites."""
    merchant = get_object_or_404(Merchant, slug=slug, active=True)
    return redirect("web:shop:shop", slug=merchant.slug)
