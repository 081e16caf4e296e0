"""The demo brings its own Bottrop gazetteer: addresses sit on real-looking streets and the
address fields find them by a few letters."""

import pytest

from louise.demo import bottrop, kirchbergen, seed
from louise.geo.models import Address, HouseAddress, Street
from louise.geo.selectors import Precision, address_lookup, street_suggestions

from ...conftest import MONDAY_MORNING


@pytest.mark.django_db
def test_demo_addresses_come_from_its_gazetteer():
    # when
    seed.run(time_limit=1, now=MONDAY_MORNING)
    # then: every district's streets with their houses ...
    for data in (bottrop, kirchbergen):  # each town's in its own area
        assert Street.objects.filter(area=f"demo:{data.SLUG}").count() == sum(
            map(len, data.STREETS.values()))
    assert HouseAddress.objects.count() > 1000
    # ... customers stand at their own house, not all on one point per postcode
    homes = Address.objects.filter(owner__isnull=False)
    assert homes.values("lat", "lon").distinct().count() > 0.8 * homes.count()
    home = homes.get(owner__username="kunde")
    name, number = home.street.rsplit(" ", 1)
    found = address_lookup(street=name, housenumber=number, postcode=home.postcode)
    assert (found.precision, found.lat, found.lon) == (Precision.HOUSE, home.lat, home.lon)
    # ... and the suggestions know the town
    found = street_suggestions(query="kirchhellener")
    assert {(s.postcode, s.district) for s in found} == {("46236", "Stadtmitte"),
                                                        ("46244", "Grafenwald")}
    found = street_suggestions(query="schleusenweg")
    assert {(s.postcode, s.city) for s in found} == {("45971", kirchbergen.NAME)}
