"""The operator's console for the town and its places, through its pages: what is saved,
what is refused (in German, changing nothing), and who may see what."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from louise.accounts.models import AuditEntry, Role
from louise.conftest import make_user
from louise.geo.models import Hub, Locker, LockerCompartment, PickupPoint, Town, Zone

SQUARE = {"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.94, 51.53],
                                              [6.92, 51.53], [6.92, 51.52]]]}
PLACE = {"street": "Hochstraße 1", "postcode": "46236", "city": "Bottrop", "district": "",
         "lat": "51.524", "lon": "6.927"}


def settings_form(town: Town, **changes) -> dict:
    """The settings form as the page fills it for `town`, with `changes`."""
    data = {"name": town.name, "holiday_region": town.holiday_region,
            "order_cutoff": "14:00", "wave_start": "17:30", "wave_end": "20:30",
            "working_days": ["0", "1", "2", "3", "4"], "slot_capacity": "80",
            "bookable_waves": "5", "fallback_1": "locker", "fallback_2": "point",
            "fallback_3": "next_wave", "hub_collection_start": "14:00",
            "hub_sorting_deadline": "17:00", "shopping_tolerance_pct": "10", "map_tiles": "",
            "map_attribution": "",
            "bike_cents_per_hour": "22,00", "bike_cents_per_km": "0,05",
            "bike_cents_per_day": "8,00", "bike_co2_g_per_km": "6",
            "bike_park_seconds": "45", "car_cents_per_hour": "22,00",
            "car_cents_per_km": "0,13", "car_cents_per_day": "25,00", "car_co2_g_per_km": "80",
            "car_park_seconds": "180",
            "report_hub_rent_cents_per_month": "900,00",
            "report_software_cents_per_month": "250,00", "report_van_co2_g_per_km": "250",
            "report_car_co2_g_per_km": "166", "report_trip_m": "6000",
            "report_car_trip_share_pct": "50",
            "stop_pickup_s": "120", "stop_drop_s": "180", "stop_shared_s": "90",
            "stop_hub_s": "30", "stop_shopping_s": "1200", "stop_depot_s": "180"}
    return {**data, **changes}


def zone_form(**changes) -> dict:
    return {"name": "Altmarkt", "active": "on", "vehicle_kinds": ["bike"], "postcodes": "",
            "area": json.dumps(SQUARE), **changes}


# --- the town's settings -------------------------------------------------------------------

def test_the_operator_sets_the_rhythm_of_the_town(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    page = stadt.get("/betrieb/stadt/").content.decode()
    # fees are not set here but as schedules with their validity (billing)
    assert "Einstellungen Bottrop" in page and "/betrieb/geld/" in page
    assert 'name="fee_door"' not in page
    response = stadt.post("/betrieb/stadt/", settings_form(
        two_towns["bottrop"], order_cutoff="13:30",
        working_days=["0", "2", "5"], fallback_1="point", fallback_2="", fallback_3="locker",
        hub_sorting_deadline="16:45", shopping_tolerance_pct="15"))
    assert response.status_code == 302
    town = Town.objects.get(pk=two_towns["bottrop"].pk)
    assert town.order_cutoff.strftime("%H:%M") == "13:30"
    assert town.shopping_tolerance_pct == 15
    assert town.hub_sorting_deadline.strftime("%H:%M") == "16:45"
    assert (town.working_days, town.fallback_order) == ([0, 2, 5], ["point", "locker"])
    entry = AuditEntry.objects.get(model="Stadt")
    assert (entry.by, entry.changes["order_cutoff"]) == (two_towns["stadt"],
                                                         ["14:00:00", "13:30:00"])


def test_the_operator_sets_what_each_vehicle_kind_costs(two_towns, as_user):
    # given: a new town starts from the literature's defaults (geo.vehicle_costs)
    town = two_towns["bottrop"]
    assert (town.costs_of("bike").cents_per_hour, town.costs_of("car").cents_per_km,
            town.costs_of("car").co2_g_per_km, town.costs_of("car").park_seconds,
            town.costs_of("bike").park_seconds) == (2200, 13, 80, 180, 45)
    stadt = as_user(two_towns["stadt"])
    page = stadt.get("/betrieb/stadt/").content.decode()
    assert "E-Lastenrad: € je Stunde" in page and 'value="0,13"' in page
    # when
    response = stadt.post("/betrieb/stadt/", settings_form(
        town, car_cents_per_km="0,45", car_cents_per_day="30,00", bike_co2_g_per_km="5",
        car_park_seconds="240"))
    # then
    assert response.status_code == 302
    town.refresh_from_db()
    costs = town.costs_of("car")
    assert (costs.cents_per_km, costs.cents_per_day, town.costs_of("bike").co2_g_per_km,
            costs.park_seconds) == (45, 3000, 5, 240)
    entry = AuditEntry.objects.get(model="Stadt")
    before, after = entry.changes["vehicle_costs"]
    assert (before["car"]["cents_per_km"], after["car"]["cents_per_km"]) == (13, 45)


@pytest.mark.parametrize(("changes", "says"), [
    ({"car_cents_per_km": "-0,10"}, "größer oder gleich 0"),
    ({"bike_co2_g_per_km": "viel"}, "ganze Zahl"),
    ({"wave_end": "17:00"}, "Die Lieferwelle muss nach ihrem Beginn enden"),
    ({"order_cutoff": "18:00"}, "Der Bestellschluss muss vor dem Beginn der Welle liegen"),
    ({"working_days": []}, "Mindestens ein Liefertag"),
    ({"hub_sorting_deadline": "18:00"}, "Der Sortierschluss muss nach dem Beginn der"),
    ({"hub_sorting_deadline": "13:00"}, "Der Sortierschluss muss nach dem Beginn der"),
    ({"fallback_2": "locker"}, "jeder höchstens einmal"),
    ({"car_cents_per_hour": "zwei"}, "Zahl"),
    ({"car_park_seconds": "3600"}, "kleiner oder gleich 1800"),
    ({"slot_capacity": "0"}, "mindestens einen Stopp"),
    ({"bike_cents_per_hour": "-1,00"}, "größer oder gleich 0"),  # a negative wage
    ({"bike_cents_per_hour": "20000"}, "kleiner oder gleich 10000"),  # said in euros
    ({"report_hub_rent_cents_per_month": "-5,00"}, "größer oder gleich 0"),
    ({"report_van_co2_g_per_km": "-1"}, "Diesel-Lieferwagen: CO₂e je km darf nicht negativ"),
    ({"report_car_trip_share_pct": "150"}, "ist zu groß"),
    ({"stop_hub_s": "4000"}, "kleiner oder gleich 3600"),
    ({"stop_drop_s": "-1"}, "größer oder gleich 0"),
    ({"stop_depot_s": "eine Weile"}, "Bitte eine ganze Zahl eingeben."),
    ({"stop_shared_s": "130"}, "darf nicht länger sein als das Abholen (120 s)"),
])
def test_bad_settings_are_refused_in_german_and_change_nothing(two_towns, as_user, changes,
                                                               says):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/stadt/", settings_form(two_towns["bottrop"], name="Neu",
                                                           **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert says in page and "Nichts gespeichert" in page
    assert Town.objects.get(pk=two_towns["bottrop"].pk).name == "Bottrop"
    assert not AuditEntry.objects.exists()


def test_the_operator_enters_the_towns_stop_times(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    page = stadt.get("/betrieb/stadt/").content.decode()
    assert 'name="stop_drop_s"' in page and 'value="180"' in page
    # the note under the fields says a new town's times
    assert "Abholen 120 s, Abgeben 180 s, davon 90 s" in page and "Einkauf 20 min" in page
    assert "Der Umschlag im Depot (180 s) ist die Arbeit des Personals" in page
    response = stadt.post("/betrieb/stadt/", settings_form(
        two_towns["bottrop"], stop_drop_s="240", stop_shared_s="60", stop_hub_s="20",
        stop_depot_s="300"))
    assert response.status_code == 302
    town = Town.objects.get(pk=two_towns["bottrop"].pk)
    assert (town.stop_pickup_s, town.stop_drop_s, town.stop_shared_s, town.stop_hub_s,
            town.stop_shopping_s, town.stop_depot_s) == (120, 240, 60, 20, 1200, 300)
    assert town.stop_times.depot == timedelta(minutes=5)
    entry = AuditEntry.objects.get(model="Stadt")
    assert entry.changes["stop_drop_s"] == [180, 240]


def test_a_shared_part_longer_than_the_door_time_is_refused_and_nothing_saved(two_towns,
                                                                              as_user):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/stadt/", settings_form(
        two_towns["bottrop"], stop_pickup_s="300", stop_drop_s="100", stop_shared_s="150"))
    page = response.content.decode()
    assert response.status_code == 200 and "Nichts gespeichert" in page
    assert ("Der Teil eines Stopps, den Stopps nacheinander am selben Ort teilen (150 s), "
            "darf nicht länger sein als das Abgeben (100 s).") in page
    town = Town.objects.get(pk=two_towns["bottrop"].pk)
    assert (town.stop_pickup_s, town.stop_drop_s, town.stop_shared_s) == (120, 180, 90)
    assert not AuditEntry.objects.exists()


def test_the_region_founds_a_town_and_forms_its_team(two_towns, as_user):
    region = as_user(two_towns["region"])
    response = region.post("/betrieb/stadt/neu/", {"name": "Dorsten"})
    assert response["Location"] == "/betrieb/stadt/?stadt=dorsten"
    dorsten = Town.objects.get(slug="dorsten")
    page = region.get("/betrieb/stadt/?stadt=dorsten").content.decode()
    assert "Einstellungen Dorsten" in page and "dispo Test" in page
    region.post("/betrieb/stadt/team/?stadt=dorsten",
                {"staff": [two_towns["dispatcher"].pk, two_towns["stadt_gladbeck"].pk]})
    assert set(dorsten.staff.all()) == {two_towns["dispatcher"], two_towns["stadt_gladbeck"]}
    # who is on the team is no longer offered
    page = region.get("/betrieb/stadt/?stadt=dorsten").content.decode()
    assert f'name="staff" value="{two_towns["dispatcher"].pk}"' not in page
    # a name twice is refused
    region.post("/betrieb/stadt/neu/", {"name": "dorsten"})
    assert Town.objects.filter(name__iexact="dorsten").count() == 1


def test_a_towns_own_operator_neither_founds_towns_nor_forms_teams(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    page = stadt.get("/betrieb/stadt/").content.decode()
    assert "Neue Stadt der Region" not in page and "Zum Team hinzufügen" not in page
    assert stadt.post("/betrieb/stadt/neu/", {"name": "Dorsten"}).status_code == 403
    assert stadt.post("/betrieb/stadt/team/",
                      {"staff": [two_towns["dispatcher"].pk]}).status_code == 403
    assert not Town.objects.filter(name="Dorsten").exists()
    assert list(two_towns["dispatcher"].towns.all()) == [two_towns["bottrop"]]


# --- hubs, points, lockers -----------------------------------------------------------------

def test_a_hub_is_created_and_moved(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    assert stadt.post("/betrieb/hubs/neu/", {"name": "Depot Süd", **PLACE}).status_code == 302
    hub = Hub.objects.get(name="Depot Süd")
    assert hub.town == two_towns["bottrop"]
    stadt.post(f"/betrieb/hubs/{hub.pk}/", {"name": "Depot Süd", **PLACE, "lat": "51.53"})
    assert Hub.objects.get(pk=hub.pk).lat == 51.53
    assert "Depot Süd" in stadt.get("/betrieb/hubs/").content.decode()
    assert AuditEntry.objects.filter(model="Hub").count() == 2


def test_a_pickup_point_is_written_with_hours_per_weekday(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    hours = {f"hours_{d}": "" for d in range(7)} | {"hours_0": "08:00-12:00, 14:00-18:00",
                                                    "hours_5": "9-13"}
    stadt.post("/betrieb/abholstellen/neu/", {"name": "Kiosk Süd", **PLACE, **hours,
                                              "active": "on"})
    point = PickupPoint.objects.get(name="Kiosk Süd")
    assert point.opening_hours == {"0": [["08:00", "12:00"], ["14:00", "18:00"]],
                                   "5": [["09:00", "13:00"]]}
    page = stadt.get(f"/betrieb/abholstellen/{point.pk}/").content.decode()
    assert 'value="08:00-12:00, 14:00-18:00"' in page
    # a line that is no time span is refused at its weekday
    response = stadt.post(f"/betrieb/abholstellen/{point.pk}/", {
        "name": "Kiosk Süd", **PLACE, **hours, "hours_2": "ab 8"})
    assert "Mi: „ab 8“ ist keine Zeitspanne" in response.content.decode()
    assert PickupPoint.objects.get(pk=point.pk).active


def test_a_lockers_compartments_are_added_removed_and_switched(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/paketstationen/neu/", {
        "name": "Station Süd", **PLACE, "active": "on", "count_S": "2", "count_M": "0",
        "count_L": "1"})
    locker = Locker.objects.get(name="Station Süd")
    assert response["Location"] == f"/betrieb/paketstationen/{locker.pk}/"
    stadt.post(f"/betrieb/paketstationen/{locker.pk}/faecher/", {"size": "M", "count": "2"})
    boxes = {b.number: b for b in locker.compartments.all()}
    assert [(n, b.size) for n, b in boxes.items()] == [(1, "S"), (2, "S"), (3, "L"), (4, "M"),
                                                       (5, "M")]
    stadt.post(f"/betrieb/paketstationen/fach/{boxes[2].pk}/entfernen/")
    stadt.post(f"/betrieb/paketstationen/fach/{boxes[3].pk}/schalten/", {"out_of_service": "1"})
    assert list(locker.compartments.values_list("number", "out_of_service")) == [
        (1, False), (3, True), (4, False), (5, False)]
    page = stadt.get("/betrieb/paketstationen/").content.decode()
    assert "Station Süd" in page and '<td class="num">3</td>' in page


def test_a_locker_without_compartments_is_refused(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/paketstationen/neu/", {
        "name": "Station Leer", **PLACE, "count_S": "0", "count_M": "0", "count_L": "0"})
    assert "mindestens ein Fach" in response.content.decode()
    assert not Locker.objects.filter(name="Station Leer").exists()


# --- zones ------------------------------------------------------------------------------------

def test_a_zone_is_drawn_imported_and_switched(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    # pasted (or drawn: the map writes the same text)
    assert stadt.post("/betrieb/zonen/neu/", zone_form()).status_code == 302
    zone = Zone.objects.get(name="Altmarkt")
    assert zone.area == SQUARE and zone.town == two_towns["bottrop"]
    # imported from a file, a FeatureCollection replaces the drawn area
    moved = {"type": "Polygon", "coordinates": [[[6.93, 51.52], [6.95, 51.52], [6.95, 51.53],
                                                 [6.93, 51.52]]]}
    upload = SimpleUploadedFile("zone.geojson", json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": moved}]}).encode())
    stadt.post(f"/betrieb/zonen/{zone.pk}/", {**zone_form(), "area_file": upload})
    assert Zone.objects.get(pk=zone.pk).area == moved
    # the zones' page draws it and switches it off
    page = stadt.get("/betrieb/zonen/").content.decode()
    assert '"name": "Altmarkt"' in page and "6.95" in page
    stadt.post(f"/betrieb/zonen/{zone.pk}/schalten/", {"active": "0"})
    assert not Zone.objects.get(pk=zone.pk).active


@pytest.mark.parametrize(("area", "says"), [
    ('{"type": "Point", "coordinates": [6.93, 51.52]}', "Das ist keine Fläche"),
    ('{"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.92, 51.52]]]}',
     "weniger als 4 Positionen"),
    ('{"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.94, 51.53], '
     '[6.92, 51.53]]]}', "nicht geschlossen"),
    ('{"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 91], [6.94, 51.53], '
     '[6.92, 51.52]]]}', "Breite 91 liegt nicht zwischen -90 und 90"),
    ('{"type": "Polygon", "coordinates": [[[6.92, 51.52]', "kein gültiges GeoJSON"),
])
def test_a_broken_area_is_refused_and_nothing_is_saved(two_towns, as_user, area, says):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/zonen/neu/", zone_form(area=area))
    assert says in response.content.decode()
    assert not Zone.objects.filter(name="Altmarkt").exists()
    assert not AuditEntry.objects.exists()


def test_a_broken_file_is_refused_at_the_file_field(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    upload = SimpleUploadedFile("zone.geojson", b"\xff\xfe not text")
    response = stadt.post("/betrieb/zonen/neu/", {**zone_form(area=""), "area_file": upload})
    assert "kein GeoJSON-Text" in response.content.decode()
    assert not Zone.objects.filter(name="Altmarkt").exists()


def test_postcodes_are_checked_as_typed(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    response = stadt.post("/betrieb/zonen/neu/", zone_form(area="", postcodes="46236 4624"))
    assert "„4624“ ist keine Postleitzahl" in response.content.decode()
    response = stadt.post("/betrieb/zonen/neu/", zone_form(area="", postcodes="46299, 46236"))
    assert "46236 gehört in Bottrop schon zur Zone „Mitte“" in response.content.decode()
    stadt.post("/betrieb/zonen/neu/", zone_form(area="", postcodes="46240, 46242"))
    assert Zone.objects.get(name="Altmarkt").postcodes == ["46240", "46242"]


# --- who may ------------------------------------------------------------------------------

PAGES = ["/betrieb/stadt/", "/betrieb/hubs/", "/betrieb/hubs/neu/", "/betrieb/zonen/",
         "/betrieb/zonen/neu/", "/betrieb/abholstellen/", "/betrieb/abholstellen/neu/",
         "/betrieb/paketstationen/", "/betrieb/paketstationen/neu/"]


def object_pages(two_towns) -> list[str]:
    """Every page and action on one object of Bottrop."""
    hub, zone = Hub.objects.get(name="City-Station"), Zone.objects.get(name="Mitte")
    point, locker = PickupPoint.objects.get(name="Kiosk Test"), Locker.objects.get(
        name="Station Test")
    box = locker.compartments.first()
    return [f"/betrieb/hubs/{hub.pk}/", f"/betrieb/zonen/{zone.pk}/",
            f"/betrieb/zonen/{zone.pk}/schalten/", f"/betrieb/abholstellen/{point.pk}/",
            f"/betrieb/paketstationen/{locker.pk}/",
            f"/betrieb/paketstationen/{locker.pk}/faecher/",
            f"/betrieb/paketstationen/fach/{box.pk}/schalten/",
            f"/betrieb/paketstationen/fach/{box.pk}/entfernen/"]


def test_every_page_opens_for_the_operator(two_towns, as_user):
    stadt = as_user(two_towns["stadt"])
    for path in PAGES + [p for p in object_pages(two_towns) if "/fach" not in p
                         and not p.endswith(("schalten/", "faecher/"))]:
        assert stadt.get(path).status_code == 200, path


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.HOTLINE, Role.RIDER, Role.CUSTOMER])
def test_other_roles_are_refused_everywhere(two_towns, as_user, role):
    person = as_user(make_user(f"jemand-{role}", role))
    for path in PAGES + object_pages(two_towns):
        assert person.get(path).status_code in (403, 405), path
        assert person.post(path, {"active": "0", "name": "X"}).status_code == 403, path
    assert Zone.objects.get(name="Mitte").active
    assert not AuditEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(two_towns):
    from django.test import Client

    for path in PAGES:
        assert Client().get(path)["Location"].startswith("/konto/anmelden/"), path


def test_another_towns_operator_gets_404_for_everything_of_this_town(two_towns, as_user):
    gladbeck = as_user(two_towns["stadt_gladbeck"])
    for path in object_pages(two_towns):
        assert gladbeck.get(path).status_code in (404, 405), path
        assert gladbeck.post(path, {"active": "0", "out_of_service": "1", "name": "X",
                                    "size": "S", "count": "1", **PLACE}).status_code == 404, path
    assert gladbeck.get("/betrieb/zonen/?stadt=bottrop").status_code == 404
    assert Zone.objects.get(name="Mitte").active
    assert LockerCompartment.objects.filter(locker__name="Station Test").count() == 4
    assert not AuditEntry.objects.exists()
    # and their own lists show their own town only
    page = gladbeck.get("/betrieb/zonen/").content.decode()
    assert "Gladbeck Mitte" in page and "Kirchhellen" not in page
    assert "City-Station" not in gladbeck.get("/betrieb/hubs/").content.decode()


def test_the_regions_operator_opens_every_towns_objects(two_towns, as_user):
    region = as_user(two_towns["region"])
    for path in object_pages(two_towns):
        if not path.endswith(("schalten/", "faecher/", "entfernen/")):
            assert region.get(path).status_code == 200, path
    page = region.get("/betrieb/zonen/?stadt=gladbeck").content.decode()
    assert "Gladbeck Mitte" in page and "Kirchhellen" not in page
    region.post(f"/betrieb/zonen/{two_towns['gladbeck_zone'].pk}/schalten/", {"active": "0"})
    assert not Zone.objects.get(pk=two_towns["gladbeck_zone"].pk).active
