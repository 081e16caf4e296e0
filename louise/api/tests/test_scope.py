"""The object scope of every model family, through `louise.accounts.access.visible_to`
(the rules are registered by each app's selectors), and the shop owner's rule."""

import pytest
from django.contrib.auth.models import AnonymousUser

from louise.accounts.access import is_shop_owner, require_shop_owner, visible_to
from louise.accounts.models import Role, User
from louise.catalog.invitations import shop_owner_grant
from louise.catalog.models import Product, ServiceOffer
from louise.core.errors import Forbidden
from louise.geo.models import Address
from louise.logistics.models import Leg, PlanRun, Tour, TourStop
from louise.orders.models import Checkout, Order
from louise.reports.turnover import turnover


@pytest.mark.parametrize("model", [Order, Checkout, Address, Product, ServiceOffer, Tour,
                                   TourStop, Leg, PlanRun])
def test_every_scoped_model_has_a_rule_and_anonymous_sees_nothing(db, model):
    assert not visible_to(model, AnonymousUser()).exists()


def test_orders_per_role(placed, shop, other_shop, other_customer, staff_users):
    mine = [placed]
    assert list(visible_to(Order, placed.customer)) == mine
    assert list(visible_to(Order, shop["staff"])) == mine
    assert list(visible_to(Order.objects.filter(pk=placed.pk), shop["staff"])) == mine
    for role in (Role.HOTLINE, Role.DISPATCHER, Role.OPERATOR):
        assert list(visible_to(Order, staff_users[role])) == mine
    for nobody in (other_customer[0], other_shop["staff"], staff_users[Role.RIDER]):
        assert not visible_to(Order, nobody).exists()
    shop["staff"].is_active = False
    assert not visible_to(Order, shop["staff"]).exists()


def test_addresses_and_products_per_owner(shop, other_shop, customer, other_customer):
    assert list(visible_to(Address, customer[0])) == [customer[1]]
    assert list(visible_to(Product, shop["staff"])) == [shop["product"]]
    assert list(visible_to(Product, other_shop["staff"])) == [other_shop["product"]]
    assert not visible_to(Address, shop["staff"]).exists()


def test_riders_see_their_published_tours_stops_and_legs(published, other_rider, staff_users):
    rider = published.shift.rider
    assert list(visible_to(Tour, rider)) == [published]
    assert set(visible_to(TourStop, rider)) == set(published.stops.all())
    assert set(visible_to(Leg, rider)) == {s.leg for s in published.stops.all()}
    for model in (Tour, TourStop, Leg, PlanRun):
        assert not visible_to(model, other_rider).exists()
    assert visible_to(PlanRun, staff_users[Role.DISPATCHER]).count() == 1


def test_turnover_is_for_the_shop_owner_only(shop):
    with pytest.raises(Forbidden, match="Inhaber"):
        turnover(user=shop["staff"], year=2026)
    assert not is_shop_owner(shop["staff"])
    shop_owner_grant(user=shop["staff"])
    owner = User.objects.get(pk=shop["staff"].pk)  # Django caches permissions per instance
    require_shop_owner(owner)
    assert turnover(user=owner, year=2026) == []
