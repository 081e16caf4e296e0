"""The operator's fleet pages (`/betrieb/flotte/`): only the town's operator gets them, another
town's objects are 404s, and the forms save through the services or say what is wrong."""

from datetime import time, timedelta

import pytest
import time_machine
from django.test import Client

from louise.accounts.models import AuditEntry, Role
from louise.conftest import MONDAY_MORNING, make_user, the_town
from louise.logistics import fleet
from louise.logistics.models import Shift, ShiftException, ShiftPattern, Vehicle
from louise.logistics.tests.fleet_towns import build_other_town
from louise.web.conftest import signed_in

TODAY = MONDAY_MORNING.date()


@pytest.fixture
def fleet_setup(town, shop, staff_users, customer):
    """Bottrop with a pattern for the rider on the bike (and its shifts), and Gladbeck."""
    rider2 = make_user("fahrer2", Role.RIDER)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        pattern, _ = fleet.pattern_save(
            by=staff_users[Role.OPERATOR], town=the_town(), rider=staff_users[Role.RIDER],
            vehicle=town["bike"], weekdays=[0, 1, 2, 3, 4], start_time=time(14),
            end_time=time(21), valid_from=TODAY)
        exception, _ = fleet.pattern_exception_add(
            by=staff_users[Role.OPERATOR], pattern=pattern, day=TODAY + timedelta(days=2),
            kind="swap", substitute=rider2)
    return {**town, "pattern": pattern, "exception": exception, "rider2": rider2,
            "gladbeck": build_other_town()}


def pages(s: dict) -> list[str]:
    return ["/betrieb/flotte/", "/betrieb/flotte/fahrzeuge/neu/",
            f"/betrieb/flotte/fahrzeuge/{s['bike'].pk}/", "/betrieb/flotte/schichtmuster/neu/",
            f"/betrieb/flotte/schichtmuster/{s['pattern'].pk}/"]


def posts(s: dict) -> list[tuple[str, dict]]:
    return [("/betrieb/flotte/schichten-anlegen/", {}),
            (f"/betrieb/flotte/fahrzeuge/{s['bike'].pk}/", {"name": "Gekapert"}),
            (f"/betrieb/flotte/schichtmuster/{s['pattern'].pk}/aktiv/", {"active": "0"}),
            (f"/betrieb/flotte/schichtmuster/{s['pattern'].pk}/ausnahmen/",
             {"day": "2026-12-03", "kind": "sick"}),
            (f"/betrieb/flotte/ausnahmen/{s['exception'].pk}/loeschen/", {})]


def state() -> tuple:
    return (list(Vehicle.objects.values_list("name", "active")),
            list(ShiftPattern.objects.values_list("active", flat=True)),
            ShiftException.objects.count(), Shift.objects.count(), AuditEntry.objects.count())


@pytest.mark.django_db
def test_the_fleet_pages_are_for_the_operator_only(fleet_setup):
    before = state()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for url in pages(fleet_setup):
            # anonymous visitors are sent to sign in
            response = Client().get(url)
            assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
            # every other role is refused, the operator gets the page
            for username in ("kundin", "laden1", "rider", "hotline", "dispatcher"):
                assert signed_in(username).get(url).status_code == 403, (url, username)
            assert signed_in("operator").get(url).status_code == 200, url
        for url, data in posts(fleet_setup):
            for username in ("kundin", "laden1", "rider", "hotline", "dispatcher"):
                assert signed_in(username).post(url, data).status_code == 403, (url, username)
    # and none of the refused requests changed anything
    assert state() == before


@pytest.mark.django_db
def test_another_towns_operator_gets_404_for_this_towns_fleet(fleet_setup):
    before = state()
    gladbeck = signed_in("stadt_g")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        # Gladbeck's operator sees Gladbeck's fleet, not Bottrop's
        page = gladbeck.get("/betrieb/flotte/")
        assert page.status_code == 200
        assert [v.name for v in page.context["vehicles"]] == ["Rad G1"]
        assert list(page.context["patterns"]) == []
        assert gladbeck.get("/betrieb/flotte/?stadt=bottrop").status_code == 404
        for url in pages(fleet_setup)[2:3] + pages(fleet_setup)[4:]:
            assert gladbeck.get(url).status_code == 404, url
        for url, data in posts(fleet_setup)[1:]:
            assert gladbeck.post(url, data).status_code == 404, url
        # and the button makes Gladbeck's shifts only
        assert gladbeck.post("/betrieb/flotte/schichten-anlegen/").status_code == 302
    assert state() == before
    # while Bottrop's operator does not see Gladbeck's bike
    bottrop = signed_in("operator")
    assert bottrop.get(f"/betrieb/flotte/fahrzeuge/{fleet_setup['gladbeck']['bike'].pk}/"
                       ).status_code == 404


def vehicle_form(home, **over) -> dict:
    return {"name": "Rad 2", "kind": "bike", "hub": home.pk, "capacity_g": "80000",
            "capacity_ml": "300000", "capacity_parcels": "15", "range_km": "40",
            "charge_minutes": "180", "speed_kmh": "13,5", "active": "on", **over}


@pytest.mark.django_db
def test_the_operator_adds_a_vehicle_and_bad_input_is_named(fleet_setup):
    client = signed_in("operator")
    url = "/betrieb/flotte/fahrzeuge/neu/"
    # bad input: a message at the field, nothing saved
    for over, message in (({"capacity_g": "-5"}, "Die Zuladung muss größer als 0 sein."),
                          ({"capacity_parcels": "0"}, "Die Zahl der Pakete muss größer als 0"),
                          ({"name": "Rad 1"}, "Ein Fahrzeug „Rad 1“ gibt es in Bottrop schon."),
                          ({"hub": fleet_setup["gladbeck"]["hub"].pk},
                           "Bitte eine gültige Auswahl treffen")):
        response = client.post(url, vehicle_form(fleet_setup["hub"], **over))
        assert response.status_code == 200
        assert message in response.content.decode(), over
    assert not Vehicle.objects.filter(name="Rad 2").exists()
    # good input: saved (German decimal comma), back on the list
    response = client.post(url, vehicle_form(fleet_setup["hub"]), follow=True)
    assert "Fahrzeug „Rad 2“ gespeichert." in response.content.decode()
    bike = Vehicle.objects.get(name="Rad 2")
    assert (bike.town, bike.speed_kmh, bike.charge_minutes, bike.active) == (the_town(), 13.5,
                                                                             180, True)
    # and taking it out of service is a change of the same form
    form = vehicle_form(fleet_setup["hub"])
    del form["active"]
    client.post(f"/betrieb/flotte/fahrzeuge/{bike.pk}/", form)
    bike.refresh_from_db()
    assert not bike.active


def pattern_form(s: dict, **over) -> dict:
    return {"weekdays": ["0", "1", "2", "3", "4"], "start_time": "08:00", "end_time": "13:00",
            "rider": s["rider2"].pk, "vehicle": s["car"].pk, "valid_from": "2026-11-30",
            "valid_until": "", **over}


@pytest.mark.django_db
def test_the_operator_saves_a_pattern_and_its_shifts_are_made(fleet_setup):
    client = signed_in("operator")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        # bad input: German messages, nothing saved
        for over, message in (({"end_time": "02:00", "start_time": "22:00"},
                               "über Mitternacht bitte zwei Schichten anlegen"),
                              ({"weekdays": []}, "Bitte mindestens einen Wochentag wählen."),
                              ({"vehicle": fleet_setup["bike"].pk, "end_time": "15:00"},
                               "Überschneidet sich mit dem Schichtmuster"),
                              ({"end_time": "15:00"},
                               "fahrer2 Test hat am 02.12.2026 zu dieser Zeit schon eine "
                               "Schicht.")):
            response = client.post("/betrieb/flotte/schichtmuster/neu/",
                                   pattern_form(fleet_setup, **over))
            assert response.status_code == 200
            assert message in response.content.decode(), over
        assert ShiftPattern.objects.count() == 1
        # good input: the pattern and four weeks of shifts
        response = client.post("/betrieb/flotte/schichtmuster/neu/", pattern_form(fleet_setup),
                               follow=True)
    pattern = ShiftPattern.objects.get(rider=fleet_setup["rider2"])
    assert response.redirect_chain[-1][0] == f"/betrieb/flotte/schichtmuster/{pattern.pk}/"
    assert "19 Schichten angelegt, 0 entfernt." in response.content.decode()
    assert Shift.objects.filter(pattern=pattern).count() == 19
    assert pattern.weekdays == [0, 1, 2, 3, 4] and pattern.start_time == time(8)


@pytest.mark.django_db
def test_exceptions_and_switching_a_pattern_off_from_its_page(fleet_setup):
    client = signed_in("operator")
    pattern = fleet_setup["pattern"]
    url = f"/betrieb/flotte/schichtmuster/{pattern.pk}/"
    with time_machine.travel(MONDAY_MORNING, tick=False):
        # the page lists the coming swap
        assert "Tausch – fahrer2 Test" in client.get(url).content.decode()
        # a swap without substitute is explained, a sick day is entered
        response = client.post(f"{url}ausnahmen/", {"day": "2026-12-03", "kind": "swap"})
        assert "Für einen Tausch bitte die Vertretung wählen." in response.content.decode()
        response = client.post(f"{url}ausnahmen/", {"day": "2026-12-03", "kind": "sick",
                                                    "note": "Grippe"}, follow=True)
        assert "Ausnahme am 03.12.2026 eingetragen: 0 Schichten angelegt, 1 entfernt." in (
            response.content.decode())
        assert not Shift.objects.filter(pattern=pattern, day="2026-12-03").exists()
        # the swap is taken back: Wednesday is the rider's again
        client.post(f"/betrieb/flotte/ausnahmen/{fleet_setup['exception'].pk}/loeschen/")
        assert Shift.objects.get(pattern=pattern, day="2026-12-02").rider.username == "rider"
        # switched off: the future shifts go
        response = client.post(f"{url}aktiv/", {"active": "0"}, follow=True)
        assert "Schichtmuster deaktiviert:" in response.content.decode()
    pattern.refresh_from_db()
    assert not pattern.active and not Shift.objects.filter(pattern=pattern).exists()


@pytest.mark.django_db
def test_the_button_makes_the_shifts_ahead_and_home_links_the_fleet(fleet_setup):
    client = signed_in("operator")
    Shift.objects.filter(pattern=fleet_setup["pattern"], day__gte="2026-12-14").delete()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert "Schichten bis 27.12.2026 anlegen" in client.get(
            "/betrieb/flotte/").content.decode()
        response = client.post("/betrieb/flotte/schichten-anlegen/", follow=True)
        assert "Schichten bis 27.12.2026: 9 Schichten angelegt, 0 entfernt." in (
            response.content.decode())
        assert 'href="/betrieb/flotte/"' in client.get("/betrieb/").content.decode()
    assert AuditEntry.objects.filter(action="Schichten angelegt", by__username="operator"
                                     ).count() == 1
