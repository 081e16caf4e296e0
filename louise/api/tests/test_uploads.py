"""Every upload path refuses what is no picture or too big, with a German message (a 4xx
JSON in the API), and stores the rest re-encoded without its EXIF position."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from louise.core.tests.pictures import GPS_IFD, jpeg
from louise.logistics.models import Proof, StopKind
from louise.logistics.services import stop_complete
from louise.orders.models import Order
from louise.web.conftest import signed_in

HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picked_up(tour):
    stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk, rider=tour.shift.rider,
                  parcels=1)
    return tour.stops.get(kind=StopKind.DELIVERY)


def proof_action(client, stop, content: bytes, key: str = "aktion-001"):
    return client.post("/api/v1/rider/actions", {
        "key": key, "kind": "complete", "stop_id": stop.pk,
        "data": '{"proof_method": "photo"}',
        "photo": SimpleUploadedFile("zustellfoto.jpg", content, content_type="image/jpeg")})


@pytest.mark.parametrize("content", [HTML, SVG, jpeg() + b"\0" * (10 * 1024 * 1024)],
                         ids=["html", "svg", "over-10-mb"])
def test_rider_proof_that_is_no_photo_or_too_big_is_refused(published, content):
    drop = picked_up(published)
    mail.outbox.clear()
    response = proof_action(signed_in(published.shift.rider.username), drop, content)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "photo"
    assert "kein Bild" in body["detail"] or "zu groß" in body["detail"]
    assert not Proof.objects.exists()
    assert not mail.outbox


def test_rider_proof_photo_is_stored_without_gps_under_a_random_name(published, media):
    drop = picked_up(published)
    response = proof_action(signed_in(published.shift.rider.username), drop,
                            jpeg(4000, 3000))
    assert response.status_code == 200, response.content
    proof = Proof.objects.get()
    assert re.fullmatch(r"proofs/[\w-]{32}\.jpg", proof.photo.name)
    with Image.open(media / proof.photo.name) as image:
        assert max(image.size) == 2000
        assert GPS_IFD not in image.getexif() and not image.getexif()


def _booking_form(client, url: str, customer) -> dict:
    page = client.get(url).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    slot = re.search(r'name="slot" id="slot-2" value="([^"]+)"', page).group(1)
    return {"key": key, "slot": slot, "address": customer[1].pk,
            "item_description": "Absatz lose"}


@pytest.mark.parametrize(("content", "says"), [
    (jpeg() + b"\0" * (10 * 1024 * 1024), "zu groß"), (HTML, "kein Bild")])
def test_service_booking_photo_is_checked(shop, customer, content, says):
    client = signed_in(customer[0])
    url = f"/dienstleistungen/{shop['service'].pk}/buchen/"
    form = _booking_form(client, url, customer)
    response = client.post(url, {**form, "photo": SimpleUploadedFile("schuh.jpg", content)})
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Order.objects.exists()


def test_service_booking_photo_loses_its_position(shop, customer, media):
    client = signed_in(customer[0])
    url = f"/dienstleistungen/{shop['service'].pk}/buchen/"
    form = _booking_form(client, url, customer)
    client.post(url, {**form, "photo": SimpleUploadedFile("schuh.jpg", jpeg())})
    order = Order.objects.get()
    with Image.open(media / order.item_photo.name) as image:
        assert not image.getexif()
    assert "schuh" not in order.item_photo.name


def test_shop_and_product_photos_lose_their_position(shop, media):
    client = signed_in("laden1")
    client.post("/laden/profil/fotos/", {"caption": "Theke",
                                         "image": SimpleUploadedFile("theke.jpg", jpeg())})
    client.post(f"/laden/katalog/produkt/{shop['product'].pk}/", {
        "name": "Buch", "price": "15,00", "vat_rate": 7, "stock": 5, "weight_g": 600,
        "volume_ml": 1200, "active": "on", "photo": SimpleUploadedFile("buch.jpg", jpeg())})
    photo = shop["merchant"].photos.get()
    shop["product"].refresh_from_db()
    for name in (photo.image.name, shop["product"].photo.name):
        with Image.open(media / name) as image:
            assert image.format == "JPEG" and not image.getexif()


def test_shop_photo_over_the_limit_is_refused_with_a_message(shop, settings):
    settings.LOUISE_UPLOAD_MAX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    Image.effect_noise((1200, 1200), 80).convert("RGB").save(buffer, "PNG")
    response = signed_in("laden1").post("/laden/profil/fotos/", {
        "image": SimpleUploadedFile("gross.png", buffer.getvalue())}, follow=True)
    assert "Das Foto ist zu groß (höchstens 1 MB)." in response.content.decode()
    assert not shop["merchant"].photos.exists()
