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
