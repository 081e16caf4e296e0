"""Pages. Views stay thin: they read through selectors and write through services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from louise.catalog.selectors import merchant_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"merchants": merchant_list()[:30]})
