"""A stored address stands in the service area: its position near a hub, whatever the
postcode says."""

import math

import pytest

from louise.core.errors import Invalid
from louise.geo import services as geo
from louise.geo.models import Address

MUNICH = (48.137, 11.575)


@pytest.fixture
def hub(db):
    return geo.hub_create(name="City-Station", street="Altmarkt 4", postcode="46236",
                          lat=51.5236, lon=6.9285)


@pytest.fixture
def zone(db):
    return geo.zone_create(name="Stadtmitte", postcodes=["46236"], vehicle_kinds=["bike"])


def create(lat: float, lon: float) -> Address:
    return geo.address_create(street="Altmarkt 1", postcode="46236", lat=lat, lon=lon)


@pytest.mark.parametrize(("lat", "lon"), [MUNICH, (6.9285, 51.5236),
                                          (51.5236, 7.4)])  # Dortmund: 33 km away
def test_a_position_far_from_every_hub_is_refused(hub, zone, lat, lon):
    with pytest.raises(Invalid) as refused:
        create(lat, lon)
    assert refused.value.field == "lat" and "nicht im Liefergebiet" in refused.value.message
    assert not Address.objects.exists()


@pytest.mark.parametrize(("lat", "lon"), [(math.nan, 6.9285), (51.5236, math.inf)])
def test_a_position_that_is_no_number_is_refused_even_without_a_hub(zone, lat, lon):
    # (a NaN reached the database's NOT NULL constraint: a 500)
    with pytest.raises(Invalid) as refused:
        create(lat, lon)
    assert refused.value.field == "lat"
    assert not Address.objects.exists()


@pytest.mark.parametrize(("lat", "lon"), [(51.5236, 6.9285), (51.6400, 6.9500)])  # Kirchhellen
def test_a_position_in_town_is_stored(hub, zone, lat, lon):
    assert create(lat, lon).zone == zone


def test_the_radius_is_a_setting(hub, zone, settings):
    settings.LOUISE_SERVICE_RADIUS_KM = 5
    with pytest.raises(Invalid):
        create(51.6400, 6.9500)


def test_without_a_hub_there_is_nothing_to_measure_against(zone):
    assert create(*MUNICH).zone == zone
