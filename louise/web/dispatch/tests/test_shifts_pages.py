"""The day's shifts (`/dispo/schichten/`): for dispatch and the operator only, another town's
shifts are 404s, and adding, changing or deleting goes through the services' checks."""

from datetime import datetime, time

import pytest
from django.test import Client

from louise.accounts.models import AuditEntry, Role
from louise.conftest import make_user
from louise.core.calendar import BERLIN
from louise.logistics.models import Shift
from louise.logistics.services import shift_create
from louise.logistics.tests.fleet_towns import build_other_town
from louise.web.conftest import signed_in

DAY = "2026-12-01"
TUESDAY = datetime(2026, 12, 1, tzinfo=BERLIN).date()


def at(hour: int) -> datetime:
    return datetime.combine(TUESDAY, time(hour), BERLIN)


@pytest.fixture
def day_shifts(town, shop, staff_users, customer):
    """Tuesday in Bottrop: the rider on the bike 14–21; Gladbeck's rider on their bike."""
    gladbeck = build_other_town()
    return {**town, "gladbeck": gladbeck, "rider2": make_user("fahrer2", Role.RIDER),
            "shift": shift_create(rider=staff_users[Role.RIDER], vehicle=town["bike"],
                                  starts_at=at(14), ends_at=at(21)),
            "theirs": shift_create(rider=gladbeck["rider"], vehicle=gladbeck["bike"],
                                   starts_at=at(14), ends_at=at(21))}


def state() -> list:
    return list(Shift.objects.order_by("pk").values_list("rider", "vehicle", "starts_at",
                                                         "ends_at"))


@pytest.mark.django_db
def test_the_shift_pages_are_for_dispatch_and_the_operator(day_shifts):
    shift = day_shifts["shift"]
    before = state()
    urls = [f"/dispo/schichten/?tag={DAY}", f"/dispo/schichten/{shift.pk}/"]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
        for username in ("kundin", "laden1", "rider", "hotline"):
            assert signed_in(username).get(url).status_code == 403, (url, username)
            assert signed_in(username).post(url, {}).status_code == 403, (url, username)
        for username in ("dispatcher", "operator"):
            assert signed_in(username).get(url).status_code == 200, (url, username)
    for username in ("kundin", "laden1", "rider", "hotline"):
        assert signed_in(username).post(
            f"/dispo/schichten/{shift.pk}/loeschen/").status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_another_towns_dispatcher_gets_404_for_this_towns_shifts(day_shifts):
    shift, before = day_shifts["shift"], state()
    client = signed_in("dispo_g")
    # their own day lists their shift only
    page = client.get(f"/dispo/schichten/?tag={DAY}")
    assert [s.pk for s in page.context["shifts"]] == [day_shifts["theirs"].pk]
    # Bottrop's day, shift, change and delete are unknown to them
    assert client.get(f"/dispo/schichten/?tag={DAY}&stadt=bottrop").status_code == 404
    assert client.get(f"/dispo/schichten/{shift.pk}/").status_code == 404
    assert client.post(f"/dispo/schichten/{shift.pk}/", {
        "rider": day_shifts["gladbeck"]["rider"].pk, "vehicle": day_shifts["gladbeck"][
            "bike"].pk, "start_time": "08:00", "end_time": "09:00"}).status_code == 404
    assert client.post(f"/dispo/schichten/{shift.pk}/loeschen/").status_code == 404
    # and a Bottrop rider or vehicle cannot be put on a Gladbeck shift
    response = client.post(f"/dispo/schichten/?tag={DAY}", {
        "rider": day_shifts["rider2"].pk, "vehicle": day_shifts["bike"].pk,
        "start_time": "08:00", "end_time": "09:00"})
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert state() == before
    # while Bottrop's dispatcher does not see Gladbeck's shift
    assert signed_in("dispatcher").get(
        f"/dispo/schichten/{day_shifts['theirs'].pk}/").status_code == 404


@pytest.mark.django_db
def test_the_dispatcher_adds_changes_and_deletes_shifts_of_the_day(day_shifts):
    client = signed_in("dispatcher")
    url = f"/dispo/schichten/?tag={DAY}&stadt=bottrop"
    rider2, car, bike = day_shifts["rider2"], day_shifts["car"], day_shifts["bike"]
    # the console links the day's shifts
    console = client.get(f"/dispo/?tag={DAY}").content.decode()
    assert f'href="/dispo/schichten/?tag={DAY}&amp;stadt=bottrop"' in console
    # an overlapping shift on the bike is refused with the reason
    response = client.post(url, {"rider": rider2.pk, "vehicle": bike.pk, "start_time": "18:00",
                                 "end_time": "22:00"})
    assert "Rad 1 ist am 01.12.2026 zu dieser Zeit schon vergeben." in response.content.decode()
    assert Shift.objects.filter(rider=rider2).count() == 0
    # a stand-in in the car is added
    response = client.post(url, {"rider": rider2.pk, "vehicle": car.pk, "start_time": "16:00",
                                 "end_time": "20:00"}, follow=True)
    assert "Schicht für fahrer2 Test angelegt." in response.content.decode()
    added = Shift.objects.get(rider=rider2)
    assert (added.starts_at, added.ends_at) == (at(16), at(20))
    assert len(response.context["shifts"]) == 2
    # changing it onto the rider's own time is refused, later hours are fine
    edit = f"/dispo/schichten/{added.pk}/"
    response = client.post(edit, {"rider": day_shifts["shift"].rider_id, "vehicle": car.pk,
                                  "start_time": "16:00", "end_time": "20:00"})
    assert "rider Test hat am 01.12.2026 zu dieser Zeit schon eine Schicht." in (
        response.content.decode())
    response = client.post(edit, {"rider": rider2.pk, "vehicle": car.pk, "start_time": "17:00",
                                  "end_time": "21:30"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/dispo/schichten/?tag={DAY}&stadt=bottrop"
    added.refresh_from_db()
    assert (added.starts_at, added.ends_at) == (at(17), datetime.combine(
        TUESDAY, time(21, 30), BERLIN))
    # and deleting it
    response = client.post(f"/dispo/schichten/{added.pk}/loeschen/", follow=True)
    assert "Schicht gelöscht." in response.content.decode()
    assert not Shift.objects.filter(pk=added.pk).exists()
    assert list(AuditEntry.objects.filter(model="Schicht").values_list("action", flat=True)
                ) == ["gelöscht", "geändert", "angelegt"]
