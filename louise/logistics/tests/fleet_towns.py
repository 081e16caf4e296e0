"""A second town for the fleet's isolation tests: Gladbeck (the fixtures' `other_town`) with
its own hub, bike, rider, operator and dispatcher (the first town is Bottrop)."""

from louise.accounts.models import Role
from louise.geo import services as geo
from louise.logistics.services import vehicle_create

from ...conftest import make_user, other_town


def build_other_town() -> dict:
    town = other_town()
    hub = geo.hub_create(name="Hub Gladbeck", town=town, street="Markt 1", postcode="45964",
                         city="Gladbeck", lat=51.5713, lon=6.9853)
    bike = vehicle_create(name="Rad G1", kind="bike", hub=hub, capacity_g=100_000,
                          capacity_ml=400_000, capacity_parcels=20, range_km=50)
    return {"town": town, "hub": hub, "bike": bike,
            "rider": make_user("fahrer_g", Role.RIDER, town_ids=[town.pk]),
            "operator": make_user("stadt_g", Role.OPERATOR, town_ids=[town.pk]),
            "dispatcher": make_user("dispo_g", Role.DISPATCHER, town_ids=[town.pk])}
