"""The operator's writes for a town's places: zones with drawn areas decide where an address
lies, every change is audited, bad input changes nothing, and another town's objects are
unknown."""

from datetime import time

import pytest

from louise.accounts.models import AuditEntry, Role
from louise.conftest import OPEN_ALL_WEEK, make_user
from louise.core.errors import Conflict, Forbidden, Invalid, NotFound
from louise.geo import places, towns
from louise.geo import services as geo
from louise.geo.models import Hub, Locker, PickupPoint, Town, Zone
from louise.geo.selectors import zone_at, zone_in_town

# A box around Bottrop's Altmarkt (lon/lat), inside postcode 46236 (zone "Mitte").
ALTMARKT = {"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.94, 51.53],
                                                [6.92, 51.53], [6.92, 51.52]]]}
IN_ALTMARKT = {"lat": 51.5236, "lon": 6.9285}
OUTSIDE_ALTMARKT = {"lat": 51.5280, "lon": 6.9500}
PLACE = {"street": "Hochstraße 1", "postcode": "46236", "city": "Bottrop", "district": "",
         "lat": 51.5240, "lon": 6.9270}


def zone_fields(**overrides) -> dict:
    return {"name": "Altmarkt", "postcodes": [], "vehicle_kinds": ["bike"], "active": True,
            "area": ALTMARKT, **overrides}


def save_zone(two_towns: dict, **fields) -> Zone:
    """A zone of Bottrop saved by its operator."""
    return places.zone_save(by=two_towns["stadt"], town=two_towns["bottrop"], **fields)


def entries(action: str, model: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, model=model))


# --- where an address lies ----------------------------------------------------------------

def test_a_drawn_zone_takes_the_points_inside_it_before_a_postcode_zone(two_towns):
    bottrop = two_towns["bottrop"]
    mitte = Zone.objects.get(name="Mitte")
    # given an address in 46236 (filed under "Mitte") and a zone drawn around the Altmarkt
    address = geo.address_create(street="Altmarkt 1", postcode="46236", **IN_ALTMARKT)
    assert address.zone == mitte
    zone = places.zone_save(by=two_towns["stadt"], town=bottrop, **zone_fields())
    # then the address now lies in the drawn zone, a place outside it still in "Mitte"
    address.refresh_from_db()
    assert address.zone == zone
    assert zone_in_town(address, bottrop) == zone
    assert zone_at(postcode="46236", town=bottrop, **OUTSIDE_ALTMARKT) == mitte
    # and a drawn zone ignores postcodes: a 46244 address inside it lies in it
    assert zone_at(postcode="46244", **IN_ALTMARKT) == zone


def test_a_zone_switched_off_gives_way_to_an_active_one_and_refuses_new_doors(two_towns):
    zone = save_zone(two_towns, **zone_fields())
    places.zone_switch(by=two_towns["stadt"], pk=zone.pk, active=False)
    # the active postcode zone now serves the Altmarkt
    assert zone_at(postcode="46236", **IN_ALTMARKT).name == "Mitte"
    # with every zone there off, a door is outside the service area
    places.zone_switch(by=two_towns["stadt"], pk=Zone.objects.get(name="Mitte").pk, active=False)
    with pytest.raises(Invalid, match="außerhalb des Liefergebiets"):
        geo.address_create(street="Altmarkt 1", postcode="46236", **IN_ALTMARKT)
    switched = entries("geändert", "Zone")
    assert [e.changes["active"] for e in switched] == [[True, False], [True, False]]
    assert {e.by for e in switched} == {two_towns["stadt"]}


def test_a_zone_needs_an_area_or_a_postcode_and_a_vehicle_kind(two_towns):
    with pytest.raises(Invalid, match="Fläche oder mindestens eine Postleitzahl"):
        save_zone(two_towns, **zone_fields(area=None))
    with pytest.raises(Invalid, match="Fahrzeugart"):
        places.zone_save(by=two_towns["stadt"], town=two_towns["bottrop"],
                         **zone_fields(vehicle_kinds=[]))
    assert not Zone.objects.filter(name="Altmarkt").exists()


def test_a_geometry_that_is_no_polygon_is_refused_by_the_zone_itself(two_towns):
    # (the console parses pasted text first; the model checks whatever reaches it)
    point = {"type": "Point", "coordinates": [6.93, 51.52]}
    with pytest.raises(Invalid, match="keine Fläche") as refused:
        save_zone(two_towns, **zone_fields(area=point))
    assert refused.value.field == "area"
    assert not Zone.objects.filter(name="Altmarkt").exists()
    assert not AuditEntry.objects.exists()


def test_an_area_in_latitude_longitude_order_is_caught(two_towns):
    swapped = {"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in
                                                   ALTMARKT["coordinates"][0]]]}
    with pytest.raises(Invalid, match="vertauscht"):
        save_zone(two_towns, **zone_fields(area=swapped))


def test_postcodes_decide_for_one_zone_only_but_drawn_zones_may_share_them(two_towns):
    bottrop = two_towns["bottrop"]
    with pytest.raises(Invalid, match="46236 gehört in Bottrop schon zur Zone „Mitte“"):
        places.zone_save(by=two_towns["stadt"], town=bottrop,
                         **zone_fields(area=None, postcodes=["46236"]))
    zone = places.zone_save(by=two_towns["stadt"], town=bottrop, **zone_fields(postcodes=["46236"]))
    assert zone.postcodes == ["46236"]
    # another town may serve the same postcode
    places.zone_save(by=two_towns["stadt_gladbeck"], town=two_towns["gladbeck"],
                     **zone_fields(name="Grenze", area=None, postcodes=["46236"]))


def test_zone_names_are_unique_per_town(two_towns):
    with pytest.raises(Invalid, match="„Mitte“ gibt es in Bottrop schon"):
        save_zone(two_towns, **zone_fields(name="mitte"))
    places.zone_save(by=two_towns["stadt_gladbeck"], town=two_towns["gladbeck"],
                     **zone_fields(name="Mitte", area=None, postcodes=["45966"]))


# --- hubs, points, lockers ----------------------------------------------------------------

def test_hubs_are_created_and_changed_with_an_audit_trail(two_towns):
    hub = places.hub_save(by=two_towns["stadt"], town=two_towns["bottrop"], name="Depot Süd",
                          place=PLACE)
    places.hub_save(by=two_towns["stadt"], town=two_towns["bottrop"], pk=hub.pk, name="Depot Süd",
                    place={**PLACE, "street": "Hochstraße 5"})
    assert Hub.objects.get(pk=hub.pk).street == "Hochstraße 5"
    created, changed = (entries("angelegt", "Hub"), entries("geändert", "Hub"))
    assert [e.label for e in created] == ["Depot Süd"]
    assert changed[0].changes == {"street": ["Hochstraße 1", "Hochstraße 5"]}
    assert changed[0].town == two_towns["bottrop"]


def test_a_pickup_point_keeps_its_hours_and_can_be_closed(two_towns):
    point = places.pickup_point_save(by=two_towns["stadt"], town=two_towns["bottrop"],
                                     name="Kiosk 2", opening_hours={"0": [["08:00", "12:00"]]},
                                     active=True, place=PLACE)
    places.pickup_point_save(by=two_towns["stadt"], town=two_towns["bottrop"], pk=point.pk,
                             name="Kiosk 2", opening_hours=OPEN_ALL_WEEK, active=False,
                             place=PLACE)
    point.refresh_from_db()
    assert (point.opening_hours, point.active) == (OPEN_ALL_WEEK, False)


def test_bad_hours_and_far_positions_store_nothing(two_towns):
    with pytest.raises(Invalid, match="Beginn muss vor Ende"):
        places.pickup_point_save(by=two_towns["stadt"], town=two_towns["bottrop"], name="Kiosk 2",
                                 opening_hours={"0": [["12:00", "08:00"]]}, active=True,
                                 place=PLACE)
    with pytest.raises(Invalid, match="nicht im Liefergebiet"):
        places.locker_save(by=two_towns["stadt"], town=two_towns["bottrop"], name="Station 2",
                           active=True, place={**PLACE, "lat": 48.1, "lon": 11.5},
                           compartments={"S": 1})
    assert not PickupPoint.objects.filter(name="Kiosk 2").exists()
    assert not Locker.objects.filter(name="Station 2").exists()
    assert not AuditEntry.objects.exists()


def test_a_locker_gets_compartments_added_taken_out_and_out_of_service(two_towns):
    stadt = two_towns["stadt"]
    locker = places.locker_save(by=stadt, town=two_towns["bottrop"], name="Station 2",
                                active=True, place=PLACE, compartments={"S": 2, "L": 1})
    assert [(b.number, b.size) for b in locker.compartments.all()] == [
        (1, "S"), (2, "S"), (3, "L")]
    places.compartments_add(by=stadt, locker_id=locker.pk, size="M", count=2)
    assert list(locker.compartments.values_list("number", "size")) == [
        (1, "S"), (2, "S"), (3, "L"), (4, "M"), (5, "M")]
    # an empty one can go; the others keep their numbers
    places.compartment_remove(by=stadt, pk=locker.compartments.get(number=2).pk)
    assert list(locker.compartments.values_list("number", flat=True)) == [1, 3, 4, 5]
    # out of service, and back
    box = locker.compartments.get(number=3)
    places.compartment_switch(by=stadt, pk=box.pk, out_of_service=True)
    assert Locker.objects.with_free().get(pk=locker.pk).free == 3
    assert len(entries("angelegt", "Fach")) == 5
    assert len(entries("gelöscht", "Fach")) == 1
    assert entries("geändert", "Fach")[0].changes == {"out_of_service": [False, True]}


def test_the_last_compartment_stays_and_sizes_and_counts_are_checked(two_towns):
    # (a compartment holding a parcel: orders/tests/test_checkout.py)
    stadt = two_towns["stadt"]
    locker = places.locker_save(by=stadt, town=two_towns["bottrop"], name="Station 2",
                                active=True, place=PLACE, compartments={"S": 1})
    with pytest.raises(Conflict, match="mindestens ein Fach"):
        places.compartment_remove(by=stadt, pk=locker.compartments.get().pk)
    with pytest.raises(Invalid, match="mindestens ein Fach"):
        places.locker_save(by=stadt, town=two_towns["bottrop"], name="Leer", active=True,
                           place=PLACE, compartments={"S": 0})
    with pytest.raises(Invalid, match="höchstens 200 Fächer"):
        places.compartments_add(by=stadt, locker_id=locker.pk, size="S", count=500)
    with pytest.raises(Invalid, match="Fachgröße"):
        places.compartments_add(by=stadt, locker_id=locker.pk, size="XL")
    assert locker.compartments.count() == 1
    assert not Locker.objects.filter(name="Leer").exists()


# --- who may -------------------------------------------------------------------------------

def test_another_towns_operator_finds_nothing_of_this_town(two_towns):
    other = two_towns["stadt_gladbeck"]
    zone, hub = Zone.objects.get(name="Mitte"), Hub.objects.get(name="City-Station")
    locker = Locker.objects.get(name="Station Test")
    attempts = [
        lambda: places.zone_switch(by=other, pk=zone.pk, active=False),
        lambda: places.zone_save(by=other, town=two_towns["gladbeck"], pk=zone.pk,
                                 **zone_fields(name="Mitte")),
        lambda: places.hub_save(by=other, town=two_towns["bottrop"], name="Fremd", place=PLACE),
        lambda: places.hub_save(by=other, town=two_towns["gladbeck"], pk=hub.pk, name="X",
                                place=PLACE),
        lambda: places.compartments_add(by=other, locker_id=locker.pk, size="S"),
        lambda: places.compartment_switch(by=other, pk=locker.compartments.first().pk,
                                          out_of_service=True),
        lambda: places.compartment_remove(by=other, pk=locker.compartments.first().pk),
        lambda: towns_update(other, two_towns["bottrop"]),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert Zone.objects.get(pk=zone.pk).active and Hub.objects.get(pk=hub.pk).name != "X"
    assert not AuditEntry.objects.exists()


def towns_update(by, town: Town) -> Town:
    return towns.town_update(by=by, town_id=town.pk, name="Fremdstadt")


def test_the_regions_operator_works_in_every_town(two_towns):
    region = two_towns["region"]
    places.zone_switch(by=region, pk=two_towns["gladbeck_zone"].pk, active=False)
    places.zone_switch(by=region, pk=Zone.objects.get(name="Mitte").pk, active=False)
    assert not Zone.objects.filter(active=True, name__in=["Mitte", "Gladbeck Mitte"]).exists()


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.HOTLINE, Role.RIDER, Role.CUSTOMER])
def test_only_operators_change_places(two_towns, role):
    person = make_user(f"jemand-{role}", role)
    with pytest.raises(Forbidden):
        places.zone_switch(by=person, pk=Zone.objects.get(name="Mitte").pk, active=False)
    with pytest.raises(Forbidden):
        places.hub_save(by=person, town=two_towns["bottrop"], name="X", place=PLACE)


# --- towns and their teams ------------------------------------------------------------------

def test_the_operator_changes_the_towns_settings_with_an_audit_trail(two_towns):
    town = towns.town_update(by=two_towns["stadt"], town_id=two_towns["bottrop"].pk,
                             order_cutoff=time(13), slot_capacity=60, working_days=[0, 1, 5])
    assert (town.order_cutoff, town.slot_capacity, town.working_days) == (time(13), 60,
                                                                          [0, 1, 5])
    entry = AuditEntry.objects.get(model="Stadt")
    assert (entry.town, entry.changes["slot_capacity"]) == (two_towns["bottrop"], [80, 60])
    assert entry.changes["order_cutoff"] == ["14:00:00", "13:00:00"]


@pytest.mark.parametrize(("fields", "says"), [
    ({"wave_end": time(17)}, "nach ihrem Beginn enden"),
    ({"order_cutoff": time(18)}, "Bestellschluss muss vor dem Beginn"),
    ({"working_days": []}, "Mindestens ein Liefertag"),
    ({"fallback_order": ["locker", "locker"]}, "jeder höchstens einmal"),
    ({"slot_capacity": 0}, "mindestens einen Stopp"),
    ({"map_tiles": "http://tile.example.org/{z}/{x}/{y}.png"}, "nur über https://"),
    ({"bookable_waves": 0}, "bookable_waves"),
    ({"vehicle_costs": {"bike": {"cents_per_hour": -1}}},
     r"Der Stundenlohn \(bike\) darf nicht negativ sein"),
    ({"vehicle_costs": {"car": {"cents_per_km": 10**7}}}, "ganze Zahlen von 0 bis 1.000.000"),
    ({"report_costs": {"hub_rent_cents_per_month": -5}}, "Miete der City-Station je Monat "
                                                          "darf nicht negativ sein"),
    ({"report_costs": {"car_trip_share_pct": 120}}, "ist zu groß"),
    ({"report_costs": {"rent": 1}}, "Berichtswerte sind nur"),
    ({"vehicle_costs": {"bike": {"cents_per_km": "5"}}}, "ganze Zahlen"),
    ({"vehicle_costs": {"truck": {}}}, "nur für bike, car"),
    ({"vehicle_costs": {"car": {"per_mile": 3}}}, "Fahrzeugkosten sind cents_per_hour"),
    ({"vehicle_costs": {"car": {"park_seconds": 3600}}}, "höchstens 1.800 Sekunden je Stopp"),
    ({"stop_hub_s": 3601}, "kleiner oder gleich 3600"),
    ({"stop_shared_s": 200}, r"nicht länger sein als das Abholen \(120 s\)"),
    ({"stop_pickup_s": 300, "stop_shared_s": 200},
     r"nicht länger sein als das Abgeben \(180 s\)"),
    ({"stop_shared_s": 60, "stop_shopping_s": 30},
     r"nicht länger sein als der Einkauf \(30 s\)"),
])
def test_invalid_settings_change_nothing(two_towns, fields, says):
    with pytest.raises(Invalid, match=says):
        towns.town_update(by=two_towns["stadt"], town_id=two_towns["bottrop"].pk, name="Neu",
                          **fields)
    assert Town.objects.get(pk=two_towns["bottrop"].pk).name == "Bottrop"
    assert not AuditEntry.objects.exists()


def test_tiles_need_their_placeholders(two_towns, settings):
    settings.LOUISE_MAP_TILE_HOSTS = ["tiles.example.org"]
    with pytest.raises(Invalid, match=r"braucht \{z\}, \{x\} und \{y\}"):
        towns.town_update(by=two_towns["stadt"], town_id=two_towns["bottrop"].pk,
                          map_tiles="https://tiles.example.org/tile.png")


def test_only_the_region_founds_towns_and_forms_teams(two_towns):
    with pytest.raises(Forbidden):
        towns.town_create(by=two_towns["stadt"], name="Dorsten")
    with pytest.raises(Forbidden):
        towns.town_staff_add(by=two_towns["stadt"], town_id=two_towns["bottrop"].pk,
                             user_ids=[two_towns["stadt_gladbeck"].pk])
    dorsten = towns.town_create(by=two_towns["region"], name="  Dorsten ")
    assert (dorsten.name, dorsten.slug, dorsten.order_cutoff) == ("Dorsten", "dorsten", time(14))
    with pytest.raises(Invalid, match="gibt es schon"):
        towns.town_create(by=two_towns["region"], name="dorsten")
    assert AuditEntry.objects.get(model="Stadt").action == "angelegt"
    assert not two_towns["bottrop"].staff.filter(pk=two_towns["stadt_gladbeck"].pk).exists()


def test_the_region_adds_people_of_louise_to_a_towns_team(two_towns):
    dispatcher, rider = two_towns["dispatcher"], make_user("rad", Role.RIDER, town_ids=[])
    gladbeck, region = two_towns["gladbeck"], two_towns["region"]
    added = towns.town_staff_add(by=region, town_id=gladbeck.pk, user_ids=[
        rider.pk, dispatcher.pk, two_towns["stadt_gladbeck"].pk])
    # the town's own operator was on the team already
    assert added == [dispatcher, rider]
    assert set(gladbeck.staff.all()) == {dispatcher, rider, two_towns["stadt_gladbeck"]}
    assert set(dispatcher.towns.all()) == {two_towns["bottrop"], gladbeck}
    assert towns.town_staff_add(by=region, town_id=gladbeck.pk, user_ids=[rider.pk]) == []
    customer = make_user("kunde", Role.CUSTOMER)
    with pytest.raises(Invalid, match="kann nicht zum Team"):
        towns.town_staff_add(by=region, town_id=gladbeck.pk, user_ids=[customer.pk])
    with pytest.raises(Invalid, match="gibt es nicht"):
        towns.town_staff_add(by=region, town_id=gladbeck.pk, user_ids=[10**9])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes["notiz"], entry.town) == ("Team ergänzt",
                                                                 "hinzu: dispo, rad", gladbeck)
