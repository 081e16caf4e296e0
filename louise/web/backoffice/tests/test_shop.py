"""The shop's profile, hours with holidays and exceptions, the button, turnover, the team."""

from datetime import date

import pytest
from django.db import transaction
from django.test import Client

from louise.accounts.models import User
from louise.catalog.invitations import staff_invitation_create
from louise.catalog.selectors import merchant_hours_on
from louise.catalog.services import opening_exception_set
from louise.conftest import order_placed
from louise.core.errors import Invalid
from louise.orders import services as orders
from louise.web.backoffice.forms import ProfileForm

from .conftest import signed_in

WEEK = {f"h-d{d}_{part}": value for d in range(5)
        for part, value in (("open1", "09:00"), ("close1", "13:00"), ("open2", "14:30"),
                            ("close2", "18:30"))}


def test_profile_saves_description_pack_time_and_split_hours(staff_client, shop):
    # when
    response = staff_client.post("/laden/profil/", {
        "p-description": "Bücher seit 1962", "p-category": "books", "p-pack_minutes": 20,
        "p-closed_on_holidays": "on", **WEEK, "h-d5_open1": "10:00", "h-d5_close1": "14:00"})
    # then
    assert response.status_code == 302
    merchant = shop["merchant"]
    merchant.refresh_from_db()
    assert merchant.pack_minutes == 20
    assert merchant.opening_hours["0"] == [["09:00", "13:00"], ["14:30", "18:30"]]
    assert merchant.opening_hours["5"] == [["10:00", "14:00"]]
    assert "6" not in merchant.opening_hours


def test_hours_must_run_forwards(staff_client, shop):
    response = staff_client.post("/laden/profil/", {
        "p-category": "books", "p-pack_minutes": 20, "h-d0_open1": "18:00",
        "h-d0_close1": "09:00"})
    assert "Beginn muss vor Ende liegen" in response.content.decode()


def test_holidays_and_exceptions_override_the_week(shop):
    # given: the shop is open every day 8–20; it takes a day off and opens late on another
    merchant = shop["merchant"]
    opening_exception_set(merchant=merchant, day=date(2026, 12, 28), closed=True,
                          note="Inventur")
    opening_exception_set(merchant=merchant, day=date(2026, 12, 24), closed=False,
                          hours=[["08:00", "12:00"]], note="Heiligabend")
    # then
    assert merchant_hours_on(merchant=merchant, day=date(2026, 12, 28)).closed
    assert merchant_hours_on(merchant=merchant, day=date(2026, 12, 24)).spans == [
        ["08:00", "12:00"]]
    christmas = merchant_hours_on(merchant=merchant, day=date(2026, 12, 25))
    assert (christmas.closed, christmas.reason) == (True, "Erster Weihnachtstag")
    assert merchant_hours_on(merchant=merchant, day=date(2026, 12, 29)).spans == [
        ["08:00", "20:00"]]
    with pytest.raises(Invalid):
        opening_exception_set(merchant=merchant, day=date(2026, 12, 31), closed=False)


def test_exception_form_and_list(staff_client, shop):
    staff_client.post("/laden/profil/sonderzeiten/", {"x-day": "2026-12-07", "x-closed": "on",
                                                      "x-note": "Betriebsausflug"})
    page = staff_client.get("/laden/profil/").content.decode()
    assert "Betriebsausflug" in page


def test_button_links_to_the_shop_page(staff_client, shop):
    # when
    page = staff_client.get("/laden/profil/knopf/").content.decode()
    response = Client().get("/laden/zu/buchladen-eins/")
    # then
    assert "Liefern lassen mit LOUISE" in page
    assert "http://testserver/laden/zu/buchladen-eins/" in page
    assert response["Location"] == "/geschaefte/buchladen-eins/"
    assert Client().get("/laden/zu/gibt-es-nicht/").status_code == 404


def test_turnover_per_day_with_vat_and_csv(owner_client, shop, customer):
    # given: two accepted orders (2 × 15 € books at 19 %) and a declined one
    buyer, _address = customer
    numbers = []
    for _ in range(3):
        order = order_placed(buyer, shop["product"])
        numbers.append(order.number)
    for number in numbers[:2]:
        orders.order_accept(order_number=number, by=shop["staff"])
    orders.order_decline(order_number=numbers[2], by=shop["staff"], reason="ausverkauft")
    # when
    page = owner_client.get("/laden/umsatz/?jahr=2026&monat=11").content.decode()
    csv = owner_client.get("/laden/umsatz.csv?jahr=2026&monat=11").content.decode("utf-8-sig")
    # then
    assert '<th class="num" id="total-gross">30,00\u00a0€</th>' in page
    assert csv.splitlines()[1] == "30.11.2026;2;30,00;0,00;4,78;0,00;0,00;30,00"
    assert csv.splitlines()[-1] == "Summe;2;30,00;0,00;4,78;0,00;0,00;30,00"
    year = owner_client.get("/laden/umsatz.csv?jahr=2026&monat=").content.decode("utf-8-sig")
    assert year.splitlines()[1].startswith("11.2026;2;30,00")


def test_owner_invites_staff_who_join_that_shop_only(owner_client, shop, other_shop,
                                                     mailoutbox,
                                                     django_capture_on_commit_callbacks):
    # when: the owner invites, and the invited person follows the link
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/laden/team/", {"email": "neu@example.org"})
    [invitation] = mailoutbox
    assert invitation.to == ["neu@example.org"]
    link = invitation.body.split("\n")[-2]
    path = link.removeprefix("http://testserver")
    newcomer = Client()
    response = newcomer.post(path, {"first_name": "Nina", "username": "nina",
                                    "password": "Laden-Passwort-2026"})
    # then
    assert response["Location"] == "/laden/"
    nina = User.objects.get(username="nina")
    assert (nina.role, nina.merchant, nina.email) == ("merchant", shop["merchant"],
                                                      "neu@example.org")
    assert not nina.has_perm("catalog.manage_shop")
    assert newcomer.get("/laden/").status_code == 200
    # and the link works once only
    again = Client().post(path, {"first_name": "X", "username": "x",
                                 "password": "Laden-Passwort-2026"})
    assert "schon ein Konto" in again.content.decode()


def test_staff_cannot_invite_and_tampered_links_fail(staff_client, shop):
    assert staff_client.post("/laden/team/", {"email": "a@example.org"}).status_code == 403
    response = Client().get("/laden/einladung/abc:def:ghi/")
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()


def test_an_invitation_rolled_back_is_not_mailed(shop, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    # given: the shop's owner
    from louise.catalog.invitations import shop_owner_grant

    owner = shop_owner_grant(user=User.objects.get(username="laden1"))
    # when: the invitation is made in a transaction that fails afterwards
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        staff_invitation_create(by=owner, email="x@example.org", base_url="http://testserver")
        raise RuntimeError("the request fails after the invitation")
    # then: nobody got a link
    assert mailoutbox == []


def test_invitation_cannot_be_reused_for_another_shop(shop, other_shop):
    # given: a link for shop one, with its signature
    from louise.catalog.invitations import shop_owner_grant

    owner = shop_owner_grant(user=User.objects.get(username="laden1"))
    link = staff_invitation_create(by=owner, email="x@example.org", base_url="http://testserver")
    token = link.rstrip("/").rsplit("/", 1)[1]
    # when: someone edits the shop id inside it
    import base64
    import json

    payload, *rest = token.split(":")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["t"] = other_shop["merchant"].pk
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    response = Client().get(f"/einladung/{':'.join([forged, *rest])}/")
    # then
    assert response.status_code == 400


def test_signed_in_staff_see_their_shop_name(shop):
    assert "Buchladen Eins" in signed_in("laden1").get("/laden/").content.decode()


def test_special_hours_limit_when_the_rider_may_collect(shop, placed):
    # given: today the shop closes at noon
    from louise.core.calendar import BERLIN
    from louise.logistics.models import Leg

    opening_exception_set(merchant=shop["merchant"], day=date(2026, 11, 30), closed=False,
                          hours=[["08:00", "12:00"]], note="Betriebsversammlung")
    # when
    orders.order_accept(order_number=placed.number, by=shop["staff"])
    orders.order_mark_ready(order_number=placed.number, by=shop["staff"])
    # then: the shop's leg (to the City-Depot: the shop closes before the wave) is begun by
    # 11:58, so its 2 minutes' pickup is done by noon
    leg = Leg.objects.get(order=placed, pickup_ref__startswith="merchant:")
    assert leg.pickup_until.astimezone(BERLIN).strftime("%H:%M") == "11:58"
    assert leg.drop_ref.startswith("hub:")


def test_shop_photos_upload_and_delete(staff_client, shop, settings, tmp_path):
    # given
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (11, 110, 79)).save(buffer, "JPEG")
    # when
    staff_client.post("/laden/profil/fotos/", {"caption": "Schaufenster", "image":
                                               SimpleUploadedFile("laden.jpg", buffer.getvalue(),
                                                                  content_type="image/jpeg")})
    not_an_image = staff_client.post("/laden/profil/fotos/", {"image": SimpleUploadedFile(
        "virus.jpg", b"MZ nope", content_type="image/jpeg")}, follow=True)
    # then
    photo = shop["merchant"].photos.get()
    assert photo.caption == "Schaufenster"
    assert (tmp_path / photo.image.name).exists()
    assert "kein Bild" in not_an_image.content.decode()
    # when
    staff_client.post(f"/laden/profil/fotos/{photo.pk}/loeschen/")
    # then
    assert not shop["merchant"].photos.exists()
    assert not (tmp_path / photo.image.name).exists()


def test_owner_blocks_a_colleague_who_left_but_not_other_shops_staff(owner_client, shop,
                                                                     other_shop):
    # given
    from louise.conftest import make_user

    leaver = make_user("aushilfe", "merchant", merchant=shop["merchant"])
    stranger = other_shop["staff"]
    # when
    owner_client.post(f"/laden/team/{leaver.pk}/zugang/", {"active": "0"})
    foreign = owner_client.post(f"/laden/team/{stranger.pk}/zugang/", {"active": "0"})
    myself = owner_client.post(f"/laden/team/{shop['staff'].pk}/zugang/", {"active": "0"},
                               follow=True)
    # then
    leaver.refresh_from_db()
    stranger.refresh_from_db()
    assert not leaver.is_active
    assert Client().post("/konto/anmelden/", {"username": "aushilfe",
                                               "password": "test-pass-123"}).status_code == 200
    assert foreign.status_code == 404 and stranger.is_active
    assert "nicht selbst sperren" in myself.content.decode()
    # and a colleague who is not the owner may not block anyone
    assert signed_in("laden2").post(f"/laden/team/{leaver.pk}/zugang/",
                                    {"active": "1"}).status_code == 403


def test_public_api_shows_the_shops_photos_and_product_photo(api, shop, settings, tmp_path):
    # given
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from louise.catalog.services import catalog_entry_update, merchant_photo_add

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, "PNG")
    merchant_photo_add(merchant=shop["merchant"], caption="Theke",
                       image=SimpleUploadedFile("theke.png", buffer.getvalue()))
    catalog_entry_update(entry=shop["product"],
                         photo=SimpleUploadedFile("buch.png", buffer.getvalue()))
    # when
    data = api().get(f"/merchants/{shop['merchant'].slug}").json()
    # then
    assert data["photos"][0]["caption"] == "Theke"
    assert data["photos"][0]["url"].startswith("/media/shops/")
    assert data["products"][0]["photo"].startswith("/media/products/")
    assert data["pack_minutes"] == 30


def test_a_select_offers_its_empty_choice_in_german():
    # given the shop's profile form, whose category may stay empty
    # then its select's empty choice is German, not Django's English "- Select an option -"
    assert ProfileForm().fields["category"].choices[0] == ("", "– bitte wählen –")
