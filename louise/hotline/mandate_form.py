"""The SEPA mandate as a printed form: the hotline sends it to a caller who signs it and
posts it back (then `services.paper_mandate_record` enters it). Same wording as the web
checkout's mandate text, filled in with the caller's name and address."""

import io
from textwrap import wrap

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from louise.accounts.models import User
from louise.geo.models import Address

_WIDTH, _HEIGHT = A4
_LEFT = 20 * mm


def mandate_form_pdf(*, customer: User, address: Address | None) -> bytes:
    """One A4 page: creditor, the mandate's text, the customer's name and address printed,
    blank lines for account holder, IBAN, place, date and signature."""
    creditor, creditor_id = settings.LOUISE_SEPA_CREDITOR, settings.LOUISE_SEPA_CREDITOR_ID
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4)
    pdf.setTitle("SEPA-Lastschriftmandat")
    y = _HEIGHT - 25 * mm

    def line(text: str, *, size: float = 10, bold: bool = False, gap: float = 5.5) -> None:
        nonlocal y
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        for part in wrap(text, 95 if size <= 10 else 70) or [""]:
            pdf.drawString(_LEFT, y, part)
            y -= gap * mm

    line("SEPA-Lastschriftmandat", size=16, bold=True, gap=9)
    line(f"Zahlungsempfänger: {creditor}")
    line(f"Gläubiger-Identifikationsnummer: {creditor_id}")
    line(settings.LOUISE_OPERATOR_ADDRESS, gap=9)
    line(f"Ich ermächtige {creditor}, Zahlungen von meinem Konto mittels Lastschrift "
         f"einzuziehen. Zugleich weise ich mein Kreditinstitut an, die von {creditor} auf "
         "mein Konto gezogenen Lastschriften einzulösen.")
    line("Hinweis: Ich kann innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die "
         "Erstattung des belasteten Betrages verlangen. Es gelten dabei die mit meinem "
         "Kreditinstitut vereinbarten Bedingungen. Die Mandatsreferenz teilen wir Ihnen mit "
         "der Bestätigung mit; das Mandat gilt für alle Bestellungen bei LOUISE.", gap=9)
    line("Kundin / Kunde", bold=True)
    line(customer.display_name)
    if address is not None:
        line(address.street)
        line(f"{address.postcode} {address.city}")
    line(f"Telefon: {customer.phone}", gap=12)
    for label in ("Kontoinhaber/in", "IBAN", "Ort, Datum", "Unterschrift"):
        pdf.line(_LEFT, y, _WIDTH - _LEFT, y)
        y -= 4.5 * mm
        line(label, size=8, gap=12)
    line(f"Bitte unterschrieben zurücksenden an: {creditor}, "
         f"{settings.LOUISE_OPERATOR_ADDRESS}. Fragen: Telefon "
         f"{settings.LOUISE_OPERATOR_PHONE}.", size=9)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
