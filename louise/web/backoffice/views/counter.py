"""A delivery the shop enters itself, at the counter or after a phone call."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from louise.core.calendar import wave_for
from louise.logistics.counter import (
    CounterDelivery,
    counter_address_suggestions,
    counter_delivery_create,
)
from louise.web.access import AuthedRequest
from louise.web.shop.common import form_key

from ..common import attempt, merchant_page, shop_of
from ..forms import CounterForm


@merchant_page
def counter_page(request: AuthedRequest) -> HttpResponse:
    form = CounterForm(request.POST or None, initial={"key": form_key()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("key")
        if data["lat"] is None or data["lon"] is None:
            form.add_error("street", "Bitte die Straße aus der Vorschlagsliste wählen.")
        else:
            order = attempt(request, lambda: counter_delivery_create(
                by=request.user, delivery=CounterDelivery(**data), idempotency_key=key),
                "Lieferung angelegt. Bitte Etikett drucken und aufkleben.")
            if order is not None:
                return redirect("web:backoffice:order", number=order.number)
    return render(request, "backoffice/counter.html", {
        "form": form, "wave": wave_for(timezone.now(), request.user.merchant.town.schedule)
        if request.user.merchant else None,
        "nav": "counter"})


@merchant_page
def address_suggestions(request: AuthedRequest) -> JsonResponse:
    found = counter_address_suggestions(query=request.GET.get("q", ""),
                                        town=shop_of(request).town)
    return JsonResponse({"results": [
        {"label": s.label, "street": s.street, "housenumber": s.housenumber,
         "postcode": s.postcode, "district": s.district, "lat": s.lat, "lon": s.lon}
        for s in found]})
