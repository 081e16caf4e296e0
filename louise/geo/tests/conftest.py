"""A tiny hand-made gazetteer: three streets of one postcode, a few houses on one."""

import pytest

from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.services import gazetteer_replace


@pytest.fixture
def gazetteer(db):
    houses = [HouseIn(str(n), "46236", round(51.5200 + n * 0.0001, 4), 6.9300)
              for n in (1, 3, 9, 10)]
    gazetteer_replace(area="test", streets=[
        StreetIn(name="Hauptstraße", postcode="46236", city="Bottrop", district="Stadtmitte",
                 points=[(51.5200, 6.9300), (51.5205, 6.9300), (51.5212, 6.9300)],
                 houses=houses),
        StreetIn(name="Kirchhellener Str.", postcode="46236", city="Bottrop",
                 district="Stadtmitte", points=[(51.5300, 6.9200), (51.5310, 6.9210)]),
        StreetIn(name="Am Bahnhof", postcode="46236", city="Bottrop", district="",
                 points=[(51.5260, 6.9350)]),
    ])


@pytest.fixture
def two_towns(town):
    """Bottrop (the fixtures' town) and Gladbeck next door, each with its own operator, and
    the region's operator who works for both."""
    from louise.accounts.models import Role
    from louise.conftest import make_user, other_town, the_town
    from louise.geo import services as geo

    gladbeck = other_town()
    hub = geo.hub_create(name="Rathaus", street="Willy-Brandt-Platz 2", postcode="45964",
                         lat=51.5713, lon=6.9855, town=gladbeck)
    return {
        "bottrop": the_town(), "gladbeck": gladbeck, "gladbeck_hub": hub,
        "gladbeck_zone": gladbeck.zones.get(),
        "stadt": make_user("stadt", Role.OPERATOR),
        "stadt_gladbeck": make_user("stadt2", Role.OPERATOR, town_ids=[gladbeck.pk]),
        "region": make_user("region", Role.OPERATOR, all_towns=True, town_ids=[]),
        "dispatcher": make_user("dispo", Role.DISPATCHER),
    }
