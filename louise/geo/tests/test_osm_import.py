"""The importer on a real OpenStreetMap extract of Dreieich (Hesse), shipped in shared/."""

from pathlib import Path

import pytest
from django.core.management import call_command

from louise.geo.models import HouseAddress, Street
from louise.geo.osm_import import import_osm
from louise.geo.selectors import Precision, address_lookup, street_suggestions

OSM = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "osm"
EXTRACT = OSM / "dreieich.osm.pbf"
# The extract's header box: south, west, north, east.
BOX = (49.9935, 8.7006, 50.0099, 8.7256)
# Buildings cut by the box edge keep their outside nodes: allow about 100 m.
MARGIN = 0.001

pytestmark = pytest.mark.skipif(not EXTRACT.is_file(),
                                reason=f"OSM extract not found at {EXTRACT} (shared/data/osm)")


def inside(lat: float, lon: float, margin: float = MARGIN) -> bool:
    south, west, north, east = BOX
    return south - margin <= lat <= north + margin and west - margin <= lon <= east + margin


@pytest.fixture
def dreieich(db):
    return import_osm(EXTRACT)


def test_streets_and_houses_of_dreieich_come_out_with_plausible_positions(dreieich):
    # when: the fixture imported the extract
    area, streets, houses = dreieich
    # then: about a hundred named streets and the ~900 numbered houses, all in the box
    assert area == "osm:dreieich"
    assert streets == Street.objects.count() >= 90
    assert houses == HouseAddress.objects.count() >= 850
    assert all(inside(*p) for p in Street.objects.values_list("lat", "lon"))
    assert all(inside(*p) for p in HouseAddress.objects.values_list("lat", "lon"))
    bahn = Street.objects.get(name="Bahnstraße")
    assert (bahn.postcode, bahn.city, bahn.district) == ("63303", "Dreieich", "Dreieichenhain")
    assert bahn.min_lat <= bahn.lat <= bahn.max_lat and len(bahn.points) >= 3
    assert bahn.houses.count() >= 40


def test_every_street_gets_a_postcode_from_its_houses(dreieich):
    assert not Street.objects.filter(postcode="").exists()


def test_real_houses_are_found_exactly_and_others_estimated(dreieich):
    # given: Bahnstraße 35a and Fahrgasse "41;43" are mapped, Bahnstraße 29 is not
    house = HouseAddress.objects.get(street__name="Bahnstraße", housenumber="35a")
    # when
    exact = address_lookup(street="bahnstr.", housenumber="35 A", postcode="63303")
    between = address_lookup(street="Bahnstraße", housenumber="29", postcode="63303")
    beyond = address_lookup(street="Bahnstraße", housenumber="999", postcode="63303")
    door = address_lookup(street="Fahrgasse", housenumber="43", postcode="63303")
    # then
    assert (exact.precision, exact.lat, exact.lon) == (Precision.HOUSE, house.lat, house.lon)
    assert (exact.district, exact.city) == ("Dreieichenhain", "Dreieich")
    assert (between.precision, beyond.precision) == (Precision.INTERPOLATED,
                                                     Precision.NEAREST_HOUSE)
    neighbours = HouseAddress.objects.filter(street__name="Bahnstraße",
                                             housenumber__in=["27", "31"])
    lats = sorted(neighbours.values_list("lat", flat=True))
    assert lats[0] <= between.lat <= lats[1] and inside(beyond.lat, beyond.lon)
    assert door.precision == Precision.HOUSE


def test_suggestions_find_dreieich_streets_by_prefix(dreieich):
    # when
    found = street_suggestions(query="albert schw")
    houses = street_suggestions(query="Bahnstraße 1")
    # then
    assert [s.street for s in found] == ["Albert-Schweitzer-Straße"]
    assert found[0].postcode == "63303" and inside(found[0].lat, found[0].lon)
    assert houses and all(s.street == "Bahnstraße" and s.housenumber.startswith("1")
                          for s in houses)


def test_import_again_replaces_the_area(dreieich):
    # given: the area was imported once; a street was edited by hand since
    before = (Street.objects.count(), HouseAddress.objects.count())
    Street.objects.filter(name="Bahnstraße").update(name="Falsch")
    # when: the command imports it again
    call_command("import_osm", str(EXTRACT), verbosity=0)
    # then: the same rows as after the first import, nothing doubled
    assert (Street.objects.count(), HouseAddress.objects.count()) == before
    assert Street.objects.filter(name="Bahnstraße").exists()
    assert not Street.objects.filter(name="Falsch").exists()
