"""Timing of the caller search at 5000 callers (run by hand: `pytest
louise/hotline/tests/bench_caller_search.py -s`; not part of the suite)."""

import random
import time

from django.contrib.auth.hashers import make_password

from louise.accounts.models import Role, User
from louise.conftest import the_town
from louise.geo.models import Address
from louise.hotline.selectors import caller_search

FIRST = ["Anna", "Bernd", "Clara", "Dieter", "Erna", "Fritz", "Gisela", "Heinz", "Ilse", "Jürgen"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"]
STREETS = ["Gartenstraße", "Hauptstraße", "Kirchplatz", "Am Bahnhof", "Lindenweg",
           "Schulstraße", "Bergstraße", "Hochstraße", "Ringstraße", "Feldweg"]


def test_caller_search_at_5000_callers(town, staff_users):
    rng = random.Random(17)
    password = make_password(None)
    people = User.objects.bulk_create(
        User(username=f"c{n}", password=password, role=Role.CUSTOMER,
             first_name=rng.choice(FIRST), last_name=f"{rng.choice(LAST)}{n}",
             phone=f"02041 {rng.randint(100000, 999999)}") for n in range(5000))
    zone = the_town().zones.get(name="Mitte")
    Address.objects.bulk_create(
        Address(owner=p, street=f"{rng.choice(STREETS)} {rng.randint(1, 99)}", postcode="46236",
                city="Bottrop", lat=51.52, lon=6.93, zone=zone) for p in people)
    agent = staff_users[Role.HOTLINE]
    for query in ("Mueller12 Anna", "Shmidt", "Gartenstrase 5", "02041 5"):
        start = time.perf_counter()
        hits = caller_search(agent=agent, town=the_town(), query=query)
        print(f"{query!r}: {len(hits)} hits in {time.perf_counter() - start:.2f} s")
