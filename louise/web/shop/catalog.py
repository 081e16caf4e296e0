"""The public catalogue: shops by category and district, a shop's page, and search.

Open to everyone, signed in or not (like the home page): browsing must not need an account.
"""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from louise.catalog.models import Category
from louise.catalog.search import catalog_search
from louise.catalog.selectors import shop_list, shop_page
from louise.core.calendar import BERLIN, wave_for
from louise.core.errors import NotFound
from louise.core.hours import describe
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
    listed = shop_list(category=category, district=district, town=town)
    return render(request, "shop/shops.html", {
        "merchants": listed.merchants, "categories": Category.choices,
        "districts": listed.districts, "category": category, "district": district,
        "town": town, "towns": listed.towns, "version": listed.version,
    })


def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    try:
        page = shop_page(slug=slug, day=now.astimezone(BERLIN).date())
    except NotFound as exc:
        raise Http404(exc.message) from exc
    merchant = page.merchant
    return render(request, "shop/shop_detail.html", {
        "merchant": merchant, "products": page.products, "services": page.services,
        "hours": describe(merchant.opening_hours), "today": page.today,
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
