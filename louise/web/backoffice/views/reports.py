"""Turnover and fees per day of a month or per month of a year, with a CSV export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from louise.billing.selectors import invoice_for_shop, invoices_for_shop, statements_for_shop
from louise.core.calendar import BERLIN
from louise.reports.turnover import total, turnover, turnover_csv
from louise.web.access import AuthedRequest
from louise.web.downloads import invoice_download

from ..common import merchant_page


def _period(request: HttpRequest) -> tuple[int, int | None]:
    today = timezone.now().astimezone(BERLIN).date()
    try:
        year = int(request.GET.get("jahr", today.year))
        given = request.GET.get("monat", str(today.month))
        month = int(given) if given else None
    except ValueError:
        return today.year, today.month
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return today.year, today.month
    return year, month


@merchant_page
def turnover_page(request: AuthedRequest) -> HttpResponse:
    year, month = _period(request)
    rows = turnover(user=request.user, year=year, month=month)
    return render(request, "backoffice/turnover.html", {
        "rows": rows, "total": total(rows), "year": year, "month": month, "nav": "turnover",
        "months": range(1, 13), "years": range(year - 2, year + 1),
        "statements": statements_for_shop(request.user)[:12],
        "invoices": invoices_for_shop(request.user)[:24]})


@merchant_page
def invoice_pdf(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    """One of the shop's invoices or credit notes (PDF with its Factur-X XML)."""
    return invoice_download(invoice_for_shop(request.user, invoice_id))


@merchant_page
def turnover_export(request: AuthedRequest) -> HttpResponse:
    year, month = _period(request)
    rows = turnover(user=request.user, year=year, month=month)
    name = f"umsatz-{year}" + (f"-{month:02d}" if month else "")
    response = HttpResponse(turnover_csv(rows, by_day=month is not None),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
