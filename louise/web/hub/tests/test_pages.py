"""The depot's page: for hub staff and dispatch of the town only; every scan or sort is one
service call whose refusal is shown and changes nothing; the dispatcher's route form."""

import pytest
import time_machine
from django.test import Client

from louise.accounts.models import Role
from louise.conftest import MONDAY_MORNING, make_user, other_town
from louise.logistics.models import HubScan, Leg, LegStatus
from louise.logistics.tests.journeys import brought_to_the_depot, two_shop_basket_published
from louise.orders.labels import label_payload
from louise.orders.models import Order, OrderStatus
from louise.web.conftest import signed_in

pytestmark = pytest.mark.django_db
DESK = "/depot/?tag=2026-11-30"


@pytest.fixture
def at_the_depot(shop, other_shop, customer, shifts, staff_users):
    """A basket from two shops, planned, published, both parcels brought to the hub."""
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    brought_to_the_depot(tour)
    make_user("depot", Role.HUB)
    return [Order.objects.get(pk=o.pk) for o in orders]


def test_the_depot_page_is_for_hub_staff_and_dispatch_of_the_town(at_the_depot):
    assert Client().get(DESK).status_code == 302
    for username in ("kundin", "rider", "hotline", "laden1"):
        assert signed_in(username).get(DESK).status_code == 403, username
    for username in ("depot", "dispatcher", "operator"):
        page = signed_in(username).get(DESK)
        assert page.status_code == 200, username
        assert at_the_depot[0].number in page.content.decode(), username
    gladbeck = other_town()
    make_user("depot-gladbeck", Role.HUB, town_ids=[gladbeck.pk])
    stranger = signed_in("depot-gladbeck")
    assert stranger.get("/depot/?stadt=bottrop").status_code == 404
    own = stranger.get("/depot/?tag=2026-11-30").content.decode()
    assert at_the_depot[0].number not in own
    assert stranger.post("/depot/eingang/", {"stadt": "bottrop", "code": at_the_depot[0].number}
                         ).status_code == 404
    assert not HubScan.objects.exists()


def test_the_depot_picks_its_day_on_the_page(at_the_depot):
    depot = signed_in("depot")
    # the day shown is in the picker; another day shows that day's deliveries
    monday = depot.get(DESK).content.decode()
    assert 'type="date" id="tag" name="tag" value="2026-11-30"' in monday
    assert at_the_depot[0].number in monday
    tuesday = depot.get("/depot/?tag=2026-12-01").content.decode()
    assert 'type="date" id="tag" name="tag" value="2026-12-01"' in tuesday
    assert at_the_depot[0].number not in tuesday
    assert depot.get("/depot/?tag=gestern").status_code == 404


def test_scans_and_sorting_through_the_page(at_the_depot):
    first, second = at_the_depot
    depot = signed_in("depot")
    page = depot.post("/depot/eingang/", {"code": label_payload(first, 1), "tag": "2026-11-30"},
                      follow=True).content.decode()
    assert f"Paket 1/1 der Bestellung {first.number} ist im City-Depot." in page
    assert f"Es fehlt: {second.number}" in page
    page = depot.post("/depot/eingang/", {"code": first.number}, follow=True).content.decode()
    assert "schon eingescannt" in page
    group = Leg.objects.filter(order=first).exclude(group="").get().group
    page = depot.post("/depot/sortiert/", {"group": group}, follow=True).content.decode()
    assert "Noch nicht vollständig" in page
    depot.post("/depot/eingang/", {"code": second.number})
    page = depot.post("/depot/sortiert/", {"group": group, "tag": "2026-11-30"},
                      follow=True).content.decode()
    assert "Sortiert: die Sendung kann mit der Tour hinaus." in page
    assert Leg.objects.filter(group=group, released_at__isnull=False).count() == 2
    assert Order.objects.get(pk=first.pk).status == OrderStatus.AT_HUB
    assert depot.get("/depot/eingang/").status_code == 405


def test_the_dispatcher_switches_a_packed_order_to_the_hub(shop, customer, staff_users):
    from louise.logistics.tests.test_hub import basket, packed

    (order,) = basket(customer, shop["product"])
    (leg,) = Leg.objects.filter(order=packed(order, shop["staff"]))
    console = signed_in("dispatcher")
    page = console.get("/dispo/?tag=2026-11-30").content.decode()
    assert "über das City-Depot" in page and order.number in page
    assert signed_in("rider").post("/dispo/weg/", {"leg": leg.pk, "route": "hub"}
                                   ).status_code == 403
    page = console.post("/dispo/weg/", {"leg": leg.pk, "route": "quer"},
                        follow=True).content.decode()
    assert "Bitte „über das City-Depot“ oder „direkt“ wählen." in page
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = console.post("/dispo/weg/", {"leg": leg.pk, "route": "hub", "tag": "2026-11-30"},
                            follow=True).content.decode()
    assert "Der Weg ist geändert" in page
    leg.refresh_from_db()
    assert leg.status == LegStatus.CANCELLED
    assert order.legs.filter(status=LegStatus.OPEN, group__startswith="checkout:").exists()


HOLD = "Zurückstellen – nächste Welle"


def test_an_incomplete_delivery_is_held_back_through_the_page(at_the_depot):
    first, second = at_the_depot
    depot = signed_in("depot")
    depot.post("/depot/eingang/", {"code": first.number})
    page = depot.get(DESK).content.decode()
    assert f"Es fehlt: {second.number}" in page and HOLD in page
    group = Leg.objects.filter(order=first).exclude(group="").get().group
    for username in ("rider", "kundin"):
        assert signed_in(username).post("/depot/zurueckstellen/", {"group": group}
                                        ).status_code == 403, username
    gladbeck = other_town()
    make_user("depot-gladbeck", Role.HUB, town_ids=[gladbeck.pk])
    assert signed_in("depot-gladbeck").post(
        "/depot/zurueckstellen/", {"stadt": "bottrop", "group": group}).status_code == 404
    page = signed_in("depot-gladbeck").post("/depot/zurueckstellen/", {"group": group},
                                            follow=True).content.decode()
    assert "Diese Sendung gibt es im City-Depot nicht." in page
    assert depot.get("/depot/zurueckstellen/").status_code == 405
    assert not Order.objects.filter(pk=first.pk, wave_start__gt=first.wave_start).exists()
    with time_machine.travel(MONDAY_MORNING.replace(hour=17, minute=40), tick=False):
        page = depot.post("/depot/zurueckstellen/", {"group": group, "tag": "2026-11-30"},
                          follow=True).content.decode()
    assert (f"Zurückgestellt: {first.number}, {second.number} kommt vollständig mit der "
            "nächsten Lieferwelle (Di, 01.12.2026") in page
    assert f"Es fehlt: {second.number}" not in page  # no longer in Monday's outbound
    assert Leg.objects.filter(group=group, status=LegStatus.OPEN).count() == 2
    tuesday = depot.get("/depot/?tag=2026-12-01").content.decode()
    assert f"Es fehlt: {second.number}" in tuesday and HOLD in tuesday


def test_the_hold_button_is_only_on_incomplete_deliveries(at_the_depot):
    depot = signed_in("depot")
    for order in at_the_depot:
        depot.post("/depot/eingang/", {"code": order.number})
    page = depot.get(DESK).content.decode()
    assert HOLD not in page and "Es fehlt" not in page
    group = Leg.objects.filter(order=at_the_depot[0]).exclude(group="").get().group
    page = depot.post("/depot/zurueckstellen/", {"group": group}, follow=True).content.decode()
    assert "vollständig: bitte sortieren statt zurückstellen" in page
    depot.post("/depot/sortiert/", {"group": group})
    assert HOLD not in depot.get(DESK).content.decode()
