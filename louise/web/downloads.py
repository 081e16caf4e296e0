"""Files a page hands out to save (SEPA files, invoices): one way to name and type them."""

from django.http import HttpResponse

from louise.billing.models import CustomerInvoice, Invoice


def download(content: bytes | str, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def invoice_download(invoice: Invoice | CustomerInvoice) -> HttpResponse:
    """The invoice's PDF (a shop's with its Factur-X XML inside)."""
    return download(bytes(invoice.pdf), name=f"{invoice.label}.pdf",
                    content_type="application/pdf")
