"""Pages shared by every role. Views stay thin: they read through selectors and write
through services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from louise.catalog.selectors import shop_list

from .access import HOME_BY_ROLE
from .legal import legal_page


def home(request: HttpRequest) -> HttpResponse:
    listed = shop_list()
    return render(request, "web/home.html", {"merchants": listed.merchants[:30],
                                             "version": listed.version})


def start(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: their role's own start page."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    return redirect(HOME_BY_ROLE.get(request.user.role, "/"))


def legal(request: HttpRequest, kind: str) -> HttpResponse:
    """Impressum, Datenschutz, AGB, Widerruf: open to everyone, linked from every page."""
    return render(request, "web/legal_page.html", {"page": legal_page(kind=kind)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG."""
    return redirect(static("web/favicon.svg"), permanent=True)
