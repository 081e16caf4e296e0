"""The depot's afternoon in a real browser, on a tablet: scan in, see what is missing, sort,
or hold back a delivery that is still incomplete."""

import pytest
from playwright.sync_api import expect

from louise.accounts.models import Role
from louise.conftest import make_user
from louise.logistics.models import Leg, StopStatus
from louise.logistics.tests.journeys import brought_to_the_depot, two_shop_basket_published
from louise.orders.labels import label_payload
from louise.orders.models import EventKind, OrderStatus
from louise.web.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1024, "height": 768}


def test_the_depot_scans_a_basket_in_sees_what_is_missing_and_sorts_it(
        page, shop, other_shop, customer, shifts, staff_users):
    # given: a basket from two shops, planned, published, both parcels brought to the hub
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    brought_to_the_depot(tour)
    first, second = orders
    make_user("depot", Role.HUB)
    page.set_viewport_size(TABLET)
    sign_in(page, "depot", "/depot/?tag=2026-11-30")
    delivery = page.locator("li.delivery")
    expect(delivery).to_contain_text(f"Es fehlt: {first.number}")
    expect(page.locator("table.outbound")).to_contain_text(tour.shift.vehicle.name)
    # when: the first parcel's label is scanned (the scanner types it and presses Enter)
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").fill(label_payload(first, 1))
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").press("Enter")
    # then: it is in, and only the second shop's parcel is missing
    expect(page.get_by_text(f"Paket 1/1 der Bestellung {first.number} ist im City-Depot.")
           ).to_be_visible()
    expect(delivery).to_contain_text(f"Es fehlt: {second.number}")
    expect(delivery).not_to_contain_text(first.number)
    # when: it is scanned again / then: refused, with the reason
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").fill(first.number)
    page.get_by_role("button", name="Einbuchen").click()
    expect(page.get_by_text("schon eingescannt")).to_be_visible()
    # when: the second parcel arrives / then: the delivery can be marked sorted
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").fill(second.number)
    page.get_by_role("button", name="Einbuchen").click()
    expect(delivery).not_to_contain_text("Es fehlt")
    screenshot(page, "depot-vollstaendig")
    delivery.get_by_role("button", name="sortiert").click()
    expect(page.get_by_text("Sortiert: die Sendung kann mit der Tour hinaus.")).to_be_visible()
    expect(delivery).to_have_class("delivery released")
    assert Leg.objects.filter(order__in=orders).exclude(group="").filter(
        released_at__isnull=True).count() == 0
    first.refresh_from_db()
    assert first.status == OrderStatus.AT_HUB


def test_the_depot_holds_back_an_incomplete_delivery_after_asking(
        page, shop, other_shop, customer, shifts, staff_users):
    # given: a basket from two shops on its tour, only the first parcel scanned in
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    brought_to_the_depot(tour)
    first, second = orders
    make_user("depot", Role.HUB)
    page.set_viewport_size(TABLET)
    sign_in(page, "depot", "/depot/?tag=2026-11-30")
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").fill(first.number)
    page.get_by_role("button", name="Einbuchen").click()
    delivery = page.locator("li.delivery")
    expect(delivery).to_contain_text(f"Es fehlt: {second.number}")
    hold = delivery.get_by_role("button", name="Zurückstellen – nächste Welle")
    # when: the staff press the button but do not confirm / then: nothing changes
    page.once("dialog", lambda dialog: dialog.dismiss())
    hold.click()
    expect(delivery).to_contain_text(f"Es fehlt: {second.number}")
    assert not first.events.filter(kind=EventKind.HELD).exists()
    # when: they confirm / then: the page says where the delivery went, tonight's tour
    # no longer carries it
    page.once("dialog", lambda dialog: dialog.accept())
    hold.click()
    expect(page.get_by_text(f"Zurückgestellt: {first.number}, {second.number}")).to_be_visible()
    assert not tour.stops.filter(leg__order__in=orders, leg__group__gt="",
                                 status=StopStatus.PENDING).exists()
