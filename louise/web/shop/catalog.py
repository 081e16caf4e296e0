"""The public catalogue: shops by category and district, a shop's page, and search.

Open to everyone, signed in or not (like the home page): browsing must not need an account.
"""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from louise.catalog.models import Category
from louise.catalog.search import catalog_search
from louise.catalog.selectors import merchant_get, merchant_hours_on, merchant_list
from louise.core.calendar import BERLIN, wave_for
from louise.core.errors import NotFound
from louise.core.hours import describe
from louise.geo.models import Town
from louise.geo.selectors import town_delivering_to, town_public


def shops(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("kategorie") or None
    district = request.GET.get("stadtteil") or None
    if category and category not in Category.values:
        raise BadRequest("Unbekannte Kategorie.")
    try:
        town = (town_public(request.GET["stadt"]) if request.GET.get("stadt")
                else None if "stadt" in request.GET
                else town_delivering_to(request.user))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    merchants = merchant_list(category=category, district=district, town=town)
    districts = (merchant_list(town=town).exclude(district="").order_by("district")
                 .values_list("district", flat=True).distinct())
    return render(request, "shop/shops.html", {
        "merchants": merchants, "categories": Category.choices, "districts": districts,
        "category": category, "district": district, "town": town,
        "towns": Town.objects.filter(active=True).order_by("name"),
    })



def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        merchant = merchant_get(slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    now = timezone.now()
    today = merchant_hours_on(merchant=merchant, day=now.astimezone(BERLIN).date())
    return render(request, "shop/shop_detail.html", {
        "merchant": merchant, "hours": describe(merchant.opening_hours), "today": today,
        "wave": wave_for(now, merchant.town.schedule),
    })


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    in_stock = request.GET.get("vorraetig") == "1"
    today = request.GET.get("heute") == "1"
    result = catalog_search(query=query, in_stock=in_stock, delivery_today=today,
                            now=timezone.now()) if query else None
    return render(request, "shop/search.html", {
        "query": query, "in_stock": in_stock, "today": today, "result": result,
    })
