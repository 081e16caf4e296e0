"""Shipping labels: one A6 page per parcel, printed by the shop and scanned by the rider.

The QR code carries `LOUISE:<order number>:<parcel>/<parcels>` — short enough for a
cheap label printer to render sharply, and specific enough that a rider's scan of the
wrong shop's parcel is caught (`label_payload_parse`). The code is embedded as an image
so that any PDF reader, and our tests, can pull it out and decode it.
"""

import io
import re
from dataclasses import dataclass

import segno
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid

from .models import LABEL_PRINTABLE, Order

PAYLOAD = re.compile(r"^LOUISE:(?P<number>[A-Z0-9-]{3,20}):(?P<parcel>\d{1,2})/(?P<of>\d{1,2})$")
# A label is printed once the shop has taken the order on, and until it has left the shop.


@dataclass(frozen=True)
class LabelScan:
    number: str
    parcel: int
    of: int


def label_payload(order: Order, parcel: int) -> str:
    return f"LOUISE:{order.number}:{parcel}/{order.parcels}"


def label_payload_parse(text: str) -> LabelScan:
    """Read a scanned label; a typed order number alone is accepted as parcel 1."""
    text = text.strip().upper()
    match = PAYLOAD.match(text)
    if match is None:
        if re.fullmatch(r"[A-Z0-9-]{3,20}", text):
            return LabelScan(text, 1, 1)
        raise Invalid("Das ist kein LOUISE-Etikett.", field="code", code="bad_label")
    scan = LabelScan(match["number"], int(match["parcel"]), int(match["of"]))
    if not 1 <= scan.parcel <= scan.of:
        raise Invalid("Das Etikett ist beschädigt (Paketnummer).", field="code",
                      code="bad_label")
    return scan


def _destination_lines(order: Order) -> list[str]:
    place = order.destination
    if order.delivery_method == "door":
        lines = [order.recipient_name, place.street, f"{place.postcode} {place.city}"]
    else:
        kind = "Abholstelle" if order.delivery_method == "point" else "Paketstation"
        lines = [f"{kind}: {place.name}", place.street, f"{place.postcode} {place.city}",
                 f"für {order.recipient_name}"]
    if order.recipient_phone:
        lines.append(f"Tel. {order.recipient_phone}")
    return lines


def _qr_image(payload: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return ImageReader(buffer)


def _draw_page(canvas: Canvas, order: Order, parcel: int) -> None:
    width, height = A6
    margin = 7 * mm
    y = height - margin
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(margin, y - 4 * mm, "LOUISE Bottrop")
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - margin, y - 4 * mm, "Stadtlogistik · E-Lastenrad")
    y -= 8 * mm
    canvas.line(margin, y, width - margin, y)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(margin, y - 9 * mm, order.number)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawRightString(width - margin, y - 9 * mm, f"Paket {parcel}/{order.parcels}")
    y -= 16 * mm
    canvas.setFont("Helvetica", 8)
    canvas.drawString(margin, y, "AN")
    canvas.setFont("Helvetica-Bold", 12)
    for line in _destination_lines(order):
        y -= 5.5 * mm
        canvas.drawString(margin, y, line[:42])
        canvas.setFont("Helvetica", 11)
    y -= 8 * mm
    start, end = order.wave_start.astimezone(BERLIN), order.wave_end.astimezone(BERLIN)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(margin, y, "LIEFERWELLE")
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(margin, y - 5 * mm, f"{start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M} Uhr")
    flags = [text for on, text in ((order.cooled, "KÜHLEN"), (order.bulky, "SPERRIG")) if on]
    if flags:
        canvas.drawString(margin, y - 11 * mm, " · ".join(flags))
    canvas.setFont("Helvetica", 8)
    canvas.drawString(margin, margin + 9 * mm, "VON")
    canvas.drawString(margin, margin + 5 * mm, order.merchant.name[:40])
    canvas.drawString(margin, margin + 1 * mm, order.merchant.street[:40])
    size = 38 * mm
    canvas.drawImage(_qr_image(label_payload(order, parcel)), width - margin - size, margin,
                     size, size)


def label_pdf(order: Order) -> bytes:
    """The order's labels as one PDF, a page per parcel, sized A6 (105 × 148 mm)."""
    if order.status not in LABEL_PRINTABLE:
        raise Conflict(f"Für Bestellung {order.number} im Status „{order.get_status_display()}“ "
                       "gibt es kein Etikett.", code="not_printable")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, pageCompression=1)
    canvas.setTitle(f"Versandetikett {order.number}")
    canvas.setAuthor("LOUISE")
    for parcel in range(1, order.parcels + 1):
        _draw_page(canvas, order, parcel)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
