"""The order inbox and one order's page: decisions, packing, the label the rider scans."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from louise.conftest import the_town
from louise.logistics.models import Leg, LegKind, LegStatus
from louise.orders.labels import label_payload_parse
from louise.orders.models import Order

A6_POINTS = (297.6, 419.5)


def decode_qr_codes(pdf: bytes) -> list[str]:
    """Every QR code on every page, read from the embedded images like a scanner would."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            found += [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    return found


def test_inbox_lists_a_new_order_and_the_badge_counts_it(staff_client, placed):
    # when
    page = staff_client.get("/laden/").content.decode()
    poll = staff_client.get("/laden/eingang.json").json()
    # then
    assert placed.number in page
    assert poll == {"new": 1, "latest": placed.number}


def test_accept_then_mark_ready_puts_the_parcel_into_planning(staff_client, placed):
    # when
    staff_client.post(f"/laden/bestellungen/{placed.number}/annehmen/")
    staff_client.post(f"/laden/bestellungen/{placed.number}/fertig/", {"parcels": 2})
    # then
    placed.refresh_from_db()
    assert (placed.status, placed.parcels) == ("ready", 2)
    leg = Leg.objects.get(order=placed)
    assert (leg.kind, leg.status, leg.parcels) == (LegKind.DELIVERY, LegStatus.OPEN, 2)
    assert staff_client.get("/laden/eingang.json").json()["new"] == 0


def test_decline_needs_a_reason_and_restocks(staff_client, shop, placed):
    # when: no reason
    response = staff_client.post(f"/laden/bestellungen/{placed.number}/ablehnen/",
                                 {"reason": ""}, follow=True)
    placed.refresh_from_db()
    # then
    assert placed.status == "placed"
    assert "Pflichtfeld" in response.content.decode() or "erforderlich" in response.content.decode()
    # when: with a reason
    staff_client.post(f"/laden/bestellungen/{placed.number}/ablehnen/",
                      {"reason": "Leider ausverkauft"})
    # then: the customer can read why, and the two books are back on the shelf
    placed.refresh_from_db()
    shop["product"].refresh_from_db()
    assert (placed.status, placed.decline_reason) == ("declined", "Leider ausverkauft")
    assert shop["product"].stock == 5


def test_a_second_accept_is_refused_with_a_message_not_an_error_page(staff_client, placed):
    staff_client.post(f"/laden/bestellungen/{placed.number}/annehmen/")
    response = staff_client.post(f"/laden/bestellungen/{placed.number}/annehmen/", follow=True)
    assert response.status_code == 200
    assert "kann im Status „angenommen“ nicht angenommen werden" in response.content.decode()


def test_label_is_a_real_a6_pdf_with_one_scannable_page_per_parcel(staff_client, placed):
    # given: accepted, packed into two parcels
    staff_client.post(f"/laden/bestellungen/{placed.number}/annehmen/")
    staff_client.post(f"/laden/bestellungen/{placed.number}/fertig/", {"parcels": 2})
    # when
    response = staff_client.get(f"/laden/bestellungen/{placed.number}/etikett.pdf")
    # then
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A6_POINTS
    text = reader.pages[0].extract_text()
    assert placed.number in text
    assert "Paket 1/2" in text
    assert "kundin Test" in text and "Gartenstraße 5" in text
    assert "30.11.2026, 17:30–20:30 Uhr" in text
    codes = decode_qr_codes(response.content)
    assert codes == [f"LOUISE:{placed.number}:1/2", f"LOUISE:{placed.number}:2/2"]
    assert label_payload_parse(codes[1]).parcel == 2


def test_label_for_a_locker_names_the_locker(staff_client, shop, customer, town):
    # given
    from louise.conftest import order_placed
    from louise.orders import services
    from louise.orders.checkout import Destination

    buyer, _ = customer
    order = order_placed(buyer, shop["product"],
                         destination=Destination("locker", locker_id=town["locker"].pk))
    services.order_accept(order_number=order.number, by=shop["staff"])
    # when
    text = PdfReader(io.BytesIO(staff_client.get(
        f"/laden/bestellungen/{order.number}/etikett.pdf").content)).pages[0].extract_text()
    # then
    assert "Paketstation: Station Test" in text
    assert "für kundin Test" in text


def test_no_label_before_the_order_is_accepted(staff_client, placed):
    response = staff_client.get(f"/laden/bestellungen/{placed.number}/etikett.pdf", follow=True)
    assert response.redirect_chain == [(f"/laden/bestellungen/{placed.number}/", 302)]
    assert "gibt es kein Etikett" in response.content.decode()


@pytest.mark.parametrize("text", ["", "LOUISE:B1:3/2", "hallo welt!"])
def test_label_parser_refuses_what_is_not_a_label(text):
    from louise.core.errors import Invalid

    with pytest.raises(Invalid):
        label_payload_parse(text)


def test_order_history_search(staff_client, placed):
    found = staff_client.get("/laden/bestellungen/?q=kundin").content.decode()
    none = staff_client.get("/laden/bestellungen/?status=delivered").content.decode()
    assert f"/laden/bestellungen/{placed.number}/" in found
    assert f"/laden/bestellungen/{placed.number}/" not in none
    assert Order.objects.count() == 1


def test_inbox_tells_when_the_rider_comes_once_the_tour_is_published(staff_client, shop,
                                                                     placed, shifts,
                                                                     staff_users):
    # given: packed, planned and published
    from datetime import date

    from louise.accounts.models import Role
    from louise.core.calendar import BERLIN
    from louise.logistics.models import Tour, TourStop
    from louise.logistics.services import plan_day, tour_publish
    from louise.orders import services

    services.order_accept(order_number=placed.number, by=shop["staff"])
    services.order_mark_ready(order_number=placed.number, by=shop["staff"])
    dispatcher = staff_users[Role.DISPATCHER]
    page_before = staff_client.get("/laden/").content.decode()
    run = plan_day(town=the_town(), day=date(2026, 11, 30), by=dispatcher)
    for tour in Tour.objects.filter(plan_run=run):
        tour_publish(tour=tour, by=dispatcher)
    # when
    page = staff_client.get("/laden/").content.decode()
    # then
    stop = TourStop.objects.get(leg__order=placed, kind="pickup")
    assert "Fahrer holt ab" not in page_before
    # with its day: the shop reads the inbox the day before too (Monday 30.11. here)
    at = stop.planned_arrival.astimezone(BERLIN)
    assert f"Fahrer holt ab am Mo 30.11. um ca. {at:%H:%M} Uhr" in page
