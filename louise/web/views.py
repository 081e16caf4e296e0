"""Pages shared by every role. Views stay thin: they read through selectors and write
through services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from louise.catalog.selectors import merchant_list

from .access import HOME_BY_ROLE


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"merchants": merchant_list()[:30]})


def start(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: their role's own start page."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    return redirect(HOME_BY_ROLE.get(request.user.role, "/"))
