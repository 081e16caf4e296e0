"""Every back-office page tried as anonymous, as the wrong role, as staff of another shop,
and as the shop's own staff: the shop's data never leaks to anyone else."""

import pytest

from louise.accounts.models import Role
from louise.conftest import make_user
from louise.orders.quotes import service_intake

from .conftest import signed_in

# Pages of the shop itself (no object of the shop in the URL).
SHOP_PAGES = ["/laden/", "/laden/eingang.json", "/laden/bestellungen/", "/laden/annahme/",
              "/laden/lieferung/", "/laden/lieferung/adressen.json?q=Ga", "/laden/katalog/",
              "/laden/katalog/produkt/neu/", "/laden/katalog/dienstleistung/neu/",
              "/laden/katalog/export.csv", "/laden/katalog/import/", "/laden/profil/",
              "/laden/profil/knopf/", "/laden/team/"]
OWNER_PAGES = ["/laden/umsatz/", "/laden/umsatz.csv"]


def object_pages(placed, booked, shop) -> list[str]:
    """Pages and actions on one object of the shop (GET pages and POST actions)."""
    return [f"/laden/bestellungen/{placed.number}/",
            f"/laden/bestellungen/{booked.number}/etikett.pdf",
            f"/laden/katalog/produkt/{shop['product'].pk}/",
            f"/laden/katalog/dienstleistung/{shop['service'].pk}/"]


def object_actions(placed, booked) -> list[tuple[str, dict]]:
    return [(f"/laden/bestellungen/{placed.number}/annehmen/", {}),
            (f"/laden/bestellungen/{placed.number}/ablehnen/", {"reason": "ausverkauft"}),
            (f"/laden/bestellungen/{placed.number}/fertig/", {"parcels": 1}),
            (f"/laden/bestellungen/{booked.number}/eingang/", {}),
            (f"/laden/bestellungen/{booked.number}/befund/", {"findings": "Riss"})]


@pytest.mark.parametrize("path", SHOP_PAGES + OWNER_PAGES)
def test_anonymous_is_sent_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.RIDER, Role.DISPATCHER, Role.OPERATOR,
                                  Role.HOTLINE])
def test_other_roles_get_403_on_every_page(town, shop, placed, booked, role):
    # given
    make_user("fremd", role)
    client = signed_in("fremd")
    # when / then
    for path in SHOP_PAGES + OWNER_PAGES + object_pages(placed, booked, shop):
        assert client.get(path).status_code == 403, path
    for path, data in object_actions(placed, booked):
        assert client.post(path, data).status_code == 403, path


def test_staff_of_another_shop_get_404_for_every_object(shop, other_shop, placed, booked):
    # given
    client = signed_in("laden2")
    # when / then: pages and actions on the first shop's objects do not exist for them
    for path in object_pages(placed, booked, shop):
        assert client.get(path).status_code == 404, path
    for path, data in object_actions(placed, booked):
        assert client.post(path, data).status_code == 404, path
    placed.refresh_from_db()
    booked.refresh_from_db()
    assert (placed.status, booked.status) == ("placed", "accepted")


def test_staff_of_another_shop_see_none_of_its_data_on_shop_pages(shop, other_shop, placed):
    # given
    client = signed_in("laden2")
    # when
    inbox = client.get("/laden/").content.decode()
    history = client.get(f"/laden/bestellungen/?q={placed.number}").content.decode()
    catalog = client.get("/laden/katalog/").content.decode()
    export = client.get("/laden/katalog/export.csv").content.decode()
    poll = client.get("/laden/eingang.json").json()
    # then
    assert placed.number not in inbox
    assert f"/laden/bestellungen/{placed.number}/" not in history
    assert shop["product"].name not in catalog + export
    assert other_shop["product"].name in catalog
    assert poll == {"new": 0, "latest": None}


def test_own_staff_reach_every_page(staff_client, shop, placed, booked):
    for path in SHOP_PAGES + object_pages(placed, booked, shop):
        assert staff_client.get(path).status_code == 200, path


def test_turnover_is_for_the_owner_only(staff_client, shop):
    assert staff_client.get("/laden/umsatz/").status_code == 403
    assert staff_client.get("/laden/umsatz.csv").status_code == 403


def test_intake_scan_of_another_shops_item_is_refused(shop, other_shop, booked):
    # given: the item is on its way to the first shop
    from louise.orders.lifecycle import order_transition

    order_transition(booked, "pick_up_item")
    client = signed_in("laden2")
    # when
    response = client.post("/laden/annahme/", {"code": f"LOUISE:{booked.number}:1/1"},
                           follow=True)
    # then
    assert "keine Bestellung" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "item_picked_up"
    assert service_intake(order_number=booked.number, by=shop["staff"]).status == "in_service"


def test_product_photo_and_profile_objects_are_scoped(shop, other_shop):
    # given: the other shop's staff guess ids of this shop's special days and photos
    from datetime import date

    from louise.catalog.services import opening_exception_set

    exception = opening_exception_set(merchant=shop["merchant"], day=date(2026, 12, 24),
                                      closed=True, note="Heiligabend")
    client = signed_in("laden2")
    # when
    response = client.post(f"/laden/profil/sonderzeiten/{exception.pk}/loeschen/")
    photo = client.post("/laden/profil/fotos/999999/loeschen/")
    # then
    assert (response.status_code, photo.status_code) == (404, 404)
    assert shop["merchant"].opening_exceptions.count() == 1
