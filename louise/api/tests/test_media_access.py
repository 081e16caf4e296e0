"""Uploaded files are served through a check of who may see them; every other person (and
every guessed name) gets a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from louise.accounts.models import Role
from louise.catalog.services import catalog_entry_update, merchant_photo_add
from louise.core.images import image_upload
from louise.core.tests.pictures import jpeg
from louise.logistics.models import StopKind
from louise.logistics.services import stop_complete
from louise.web.conftest import signed_in

from ...conftest import make_user


@pytest.fixture
def files(settings, tmp_path, published, placed, shop, other_shop, other_customer,
          other_rider, staff_users):
    """The placed order with an item photo, delivered with a photo proof; a shop photo."""
    settings.MEDIA_ROOT = tmp_path
    rider = published.shift.rider
    stop_complete(stop_id=published.stops.get(kind=StopKind.PICKUP).pk, rider=rider, parcels=1)
    drop = stop_complete(stop_id=published.stops.get(kind=StopKind.DELIVERY).pk, rider=rider,
                         proof_method="photo", photo=SimpleUploadedFile("t.jpg", jpeg()))
    placed.refresh_from_db()
    placed.item_photo.save("x.jpg", image_upload(SimpleUploadedFile("x.jpg", jpeg())))
    shop_photo = merchant_photo_add(merchant=shop["merchant"],
                                    image=SimpleUploadedFile("s.jpg", jpeg()))
    return {"item": placed.item_photo.url, "proof": drop.proof.photo.url,
            "shop": shop_photo.image.url, "order": placed, "rider": rider.username}


def client_of(username: str | None) -> Client:
    return signed_in(username) if username else Client()


def test_item_photo_only_for_its_customer_and_shop(files):
    for who in ("kundin", "laden1"):
        response = client_of(who).get(files["item"])
        assert response.status_code == 200, who
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
    for who in (None, "kunde2", "laden2", files["rider"], "fremdfahrer", Role.DISPATCHER,
                Role.HOTLINE):
        assert client_of(who).get(files["item"]).status_code == 404, who


def test_delivery_photo_for_customer_rider_and_dispatch_only(files):
    for who in ("kundin", files["rider"], Role.DISPATCHER, Role.OPERATOR):
        assert client_of(who).get(files["proof"]).status_code == 200, who
    for who in (None, "kunde2", "laden1", "laden2", "fremdfahrer", Role.HOTLINE):
        assert client_of(who).get(files["proof"]).status_code == 404, who


def test_a_blocked_account_sees_nothing(files):
    client = signed_in("kundin")
    files["order"].customer.is_active = False
    files["order"].customer.save()
    assert client.get(files["item"]).status_code in (302, 404)


def test_shop_photos_are_public_while_the_shop_is_active(files, shop):
    response = Client().get(files["shop"])
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    shop["merchant"].active = False
    shop["merchant"].save()
    assert Client().get(files["shop"]).status_code == 404
    assert signed_in("laden1").get(files["shop"]).status_code == 200
    assert signed_in("laden2").get(files["shop"]).status_code == 404


def test_product_photos_are_public(files, shop):
    catalog_entry_update(entry=shop["product"], photo=SimpleUploadedFile("b.jpg", jpeg()))
    assert Client().get(shop["product"].photo.url).status_code == 200


@pytest.mark.parametrize("path", ["/media/proofs/stop-41.jpg", "/media/../louise/settings.py",
                                  "/media/%2e%2e/louise/settings.py", "/media/"])
def test_guessed_and_crafted_names_are_404(files, path):
    assert signed_in(Role.OPERATOR).get(path).status_code == 404


def test_unguessable_names(files):
    for url in (files["item"], files["proof"], files["shop"]):
        name = url.rsplit("/", 1)[1]
        assert len(name) == 36 and name.endswith(".jpg"), url


def test_behind_nginx_the_web_server_sends_the_file(files, settings):
    settings.LOUISE_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = signed_in("kundin").get(files["proof"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + files["proof"].removeprefix(
        "/media/")
    assert response.content == b""
    assert signed_in("kunde2").get(files["proof"]).status_code == 404


def test_with_x_sendfile_the_web_server_sends_the_file(files, settings, tmp_path):
    settings.LOUISE_MEDIA_SENDFILE = True
    response = signed_in("kundin").get(files["item"])
    assert response["X-Sendfile"] == str(tmp_path / files["item"].removeprefix("/media/"))


def test_the_pages_link_to_the_photos(files):
    order = files["order"]
    shop_page = signed_in("laden1").get(f"/laden/bestellungen/{order.number}/")
    assert files["item"] in shop_page.content.decode()
    customer_page = signed_in("kundin").get(f"/bestellungen/{order.number}/")
    assert files["proof"] in customer_page.content.decode()


def test_a_new_staff_member_of_another_shop_cannot_see_the_item(files, other_shop):
    make_user("neu2", Role.MERCHANT, merchant=other_shop["merchant"])
    assert signed_in("neu2").get(files["item"]).status_code == 404
