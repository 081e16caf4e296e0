"""The fleet's services: vehicles, shift patterns and their exceptions, the day's shifts.

Monday 30 November 2026 is "today" throughout; four weeks ahead reach Sunday 27 December,
with Christmas Day (Friday 25th) a public holiday in North Rhine-Westphalia."""

import re
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from louise.accounts.models import AuditEntry, Role
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Forbidden, Invalid, NotFound
from louise.logistics import fleet
from louise.logistics.models import (
    PlanRun,
    RunStatus,
    Shift,
    ShiftException,
    ShiftPattern,
    Tour,
    TourStatus,
    Vehicle,
)
from louise.logistics.planning_bridge import Day, plannable_shifts
from louise.logistics.selectors import shift_for, vehicle_for
from louise.logistics.services import shift_create
from louise.logistics.shifts import shifts_generate

from ...conftest import MONDAY_MORNING, make_user, the_town
from .fleet_towns import build_other_town

TODAY = MONDAY_MORNING.date()
TUESDAY, WEDNESDAY, SATURDAY = (TODAY + timedelta(days=n) for n in (1, 2, 5))
MO_FR = [0, 1, 2, 3, 4]
# Working days from Monday 30 November for four weeks, without Christmas Day.
FOUR_WEEKS = [TODAY + timedelta(days=n) for n in range(28)
              if (TODAY + timedelta(days=n)).weekday() < 5
              and TODAY + timedelta(days=n) != date(2026, 12, 25)]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


@pytest.fixture
def people(town, staff_users):
    return {"operator": staff_users[Role.OPERATOR], "dispatcher": staff_users[Role.DISPATCHER],
            "rider": staff_users[Role.RIDER], "rider2": make_user("fahrer2", Role.RIDER),
            "hotline": staff_users[Role.HOTLINE]}


@pytest.fixture
def gladbeck(town):
    return build_other_town()


def pattern_save(people, town, by=None, **fields):
    """The operator's "Mo–Fr 14:00–21:00, Rad 1" for the rider from today, unless told."""
    values = {"rider": people["rider"], "vehicle": town["bike"], "weekdays": MO_FR,
              "start_time": time(14), "end_time": time(21), "valid_from": TODAY,
              "valid_until": None, **fields}
    return fleet.pattern_save(by=by or people["operator"], town=the_town(), today=TODAY,
                              **values)


def vehicle_fields(**over):
    return {"name": "Rad 2", "kind": "bike", "capacity_g": 80_000, "capacity_ml": 300_000,
            "capacity_parcels": 15, "range_km": 40, "charge_minutes": 180, "speed_kmh": 13.5,
            "cooled": False, "bulky": False, "active": True, **over}


def tour_on(shift: Shift, status: str = TourStatus.PUBLISHED) -> Tour:
    run = PlanRun.objects.create(town=shift.vehicle.town, day=shift.starts_at.date(),
                                 status=RunStatus.DONE)
    return Tour.objects.create(plan_run=run, shift=shift, status=status,
                               starts_at=shift.starts_at, ends_at=shift.ends_at)


def unchanged(before: tuple[int, int, int, int]) -> bool:
    return before == counts()


def counts() -> tuple[int, int, int, int]:
    return (ShiftPattern.objects.count(), Shift.objects.count(),
            ShiftException.objects.count(), AuditEntry.objects.count())


# --- vehicles -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_operator_adds_and_changes_a_vehicle_on_the_record(town, people):
    # when the operator adds a bike and later raises its parcel capacity
    bike = fleet.vehicle_save(by=people["operator"], town=the_town(), hub=town["hub"],
                              **vehicle_fields())
    fleet.vehicle_save(by=people["operator"], town=the_town(), vehicle=bike,
                       **vehicle_fields(capacity_parcels=25, active=False))
    # then it is stored in the hub's town, out of service, and both changes are audited
    bike.refresh_from_db()
    assert (bike.town_id, bike.capacity_parcels, bike.charge_minutes, bike.active) == (
        the_town().pk, 25, 180, False)
    changed, added = AuditEntry.objects.filter(object_id=str(bike.pk), model="Fahrzeug")
    assert (added.action, added.by, added.town_id) == ("angelegt", people["operator"],
                                                       the_town().pk)
    assert changed.action == "geändert"
    assert changed.changes == {"capacity_parcels": [15, 25], "active": [True, False]}


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), [
    ("capacity_g", -1, "Die Zuladung muss größer als 0 sein."),
    ("capacity_g", 0, "Die Zuladung muss größer als 0 sein."),
    ("capacity_ml", 0, "Das Ladevolumen muss größer als 0 sein."),
    ("capacity_parcels", -3, "Die Zahl der Pakete muss größer als 0 sein."),
    ("range_km", 0, "Die Reichweite muss größer als 0 sein."),
    ("speed_kmh", 0.0, "Das Tempo muss größer als 0 sein."),
    ("charge_minutes", -10, "Die Ladezeit darf nicht negativ sein."),
    ("name", "  ", "Bitte einen Namen für das Fahrzeug angeben."),
])
def test_a_vehicle_with_bad_sizes_is_refused_and_nothing_saved(town, people, field, value,
                                                               message):
    vehicles, entries = Vehicle.objects.count(), AuditEntry.objects.count()
    with pytest.raises(Invalid) as refused:
        fleet.vehicle_save(by=people["operator"], town=the_town(), hub=town["hub"],
                           **vehicle_fields(**{field: value}))
    assert (refused.value.message, refused.value.field) == (message, field)
    assert (Vehicle.objects.count(), AuditEntry.objects.count()) == (vehicles, entries)


@pytest.mark.django_db
def test_changing_a_vehicle_to_zero_capacity_changes_nothing(town, people):
    with pytest.raises(Invalid, match=re.escape("Zuladung muss größer als 0")):
        fleet.vehicle_save(by=people["operator"], town=the_town(), vehicle=town["bike"],
                           capacity_g=0, name="Rad Eins")
    town["bike"].refresh_from_db()
    assert (town["bike"].name, town["bike"].capacity_g) == ("Rad 1", 100_000)


@pytest.mark.django_db
def test_a_hub_of_another_town_and_a_taken_name_are_refused(town, people, gladbeck):
    # a hub of Gladbeck for a Bottrop vehicle
    with pytest.raises(Invalid, match=re.escape("Bitte einen Hub in Bottrop wählen.")) as refused:
        fleet.vehicle_save(by=people["operator"], town=the_town(), hub=gladbeck["hub"],
                           **vehicle_fields())
    assert refused.value.field == "hub"
    # a second "Rad 1" in Bottrop
    with pytest.raises(Invalid, match=re.escape("Ein Fahrzeug „Rad 1“ gibt es in Bottrop schon.")):
        fleet.vehicle_save(by=people["operator"], town=the_town(), hub=town["hub"],
                           **vehicle_fields(name="Rad 1"))
    assert not Vehicle.objects.filter(name="Rad 2").exists()
    # while Gladbeck may have its own "Rad 1"
    fleet.vehicle_save(by=gladbeck["operator"], town=gladbeck["town"], hub=gladbeck["hub"],
                       **vehicle_fields(name="Rad 1"))
    assert Vehicle.objects.filter(name="Rad 1").count() == 2


@pytest.mark.django_db
def test_another_towns_vehicles_are_unknown_and_only_the_operator_edits(town, people,
                                                                        gladbeck):
    bottrop = the_town()
    # Bottrop's operator, acting in Bottrop, on Gladbeck's bike
    with pytest.raises(NotFound):
        fleet.vehicle_save(by=people["operator"], town=bottrop, vehicle=gladbeck["bike"],
                           name="Meins")
    # or acting in Gladbeck, which is not theirs
    with pytest.raises(NotFound):
        fleet.vehicle_save(by=people["operator"], town=gladbeck["town"],
                           hub=gladbeck["hub"], **vehicle_fields())
    with pytest.raises(NotFound):
        vehicle_for(user=people["operator"], town=bottrop, vehicle_id=gladbeck["bike"].pk)
    # the dispatcher may not change the fleet
    with pytest.raises(Forbidden):
        fleet.vehicle_save(by=people["dispatcher"], town=bottrop, vehicle=town["bike"],
                           name="Rad X")
    assert Vehicle.objects.filter(name__in=["Meins", "Rad X", "Rad 2"]).count() == 0


# --- patterns and generation --------------------------------------------------------------


@pytest.mark.django_db
def test_a_pattern_makes_the_shifts_of_the_coming_weeks_without_holidays(town, people):
    # when the operator saves "Mo–Fr 14:00–21:00, Rad 1" for the rider
    pattern, made = pattern_save(people, town)
    # then four weeks of working days have a shift, Christmas Day none
    shifts = Shift.objects.filter(pattern=pattern).order_by("starts_at")
    assert made.created == len(FOUR_WEEKS) == 19
    assert [s.day for s in shifts] == FOUR_WEEKS
    first = shifts[0]
    assert (first.rider, first.vehicle, first.starts_at, first.ends_at) == (
        people["rider"], town["bike"], at(TODAY, 14), at(TODAY, 21))
    # and the change is on the record with what it made
    entry = AuditEntry.objects.get(model="Schichtmuster")
    assert (entry.action, entry.by, entry.town_id) == ("angelegt", people["operator"],
                                                       the_town().pk)
    assert entry.changes["notiz"].startswith("19 Schichten angelegt")


@pytest.mark.django_db
@override_settings(LOUISE_SHIFT_WEEKS_AHEAD=1)
def test_generation_is_idempotent_and_the_nightly_command_keeps_weeks_ahead(town, people):
    # given a pattern saved with one week ahead: five shifts
    pattern, made = pattern_save(people, town)
    assert made.created == 5
    # when generation runs again for the same days
    again = shifts_generate(town=the_town(), start=TODAY, days=7)
    # then nothing changes
    assert (again.created, again.removed) == (0, 0)
    assert Shift.objects.filter(pattern=pattern).count() == 5
    # when the nightly command runs for two weeks, twice
    out = StringIO()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        call_command("shifts", "--weeks", "2", stdout=out)
        call_command("shifts", "--weeks", "2", "--town", "bottrop", stdout=out)
    # then the second week is made once, and the run is audited (the empty one is not)
    assert out.getvalue().splitlines() == [
        "Bottrop: 5 Schichten angelegt, 0 entfernt (2 Wochen).",
        "Bottrop: 0 Schichten angelegt, 0 entfernt (2 Wochen)."]
    assert Shift.objects.filter(pattern=pattern).count() == 10
    entry = AuditEntry.objects.get(action="Schichten angelegt")
    assert (entry.by, entry.model, entry.label) == (None, "Stadt", "Bottrop")
    # and an unknown town or no week is an error, not a silent no-op
    with pytest.raises(CommandError, match=re.escape("Keine aktive Stadt")):
        call_command("shifts", "--town", "atlantis", stdout=out)
    with pytest.raises(CommandError, match=re.escape("mindestens 1")):
        call_command("shifts", "--weeks", "0", stdout=out)


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "message"), [
    ({"start_time": time(22), "end_time": time(2)}, "über Mitternacht bitte zwei Schichten"),
    ({"start_time": time(14), "end_time": time(14)}, "über Mitternacht bitte zwei Schichten"),
    ({"weekdays": []}, "Bitte mindestens einen Wochentag wählen."),
    ({"valid_until": TODAY - timedelta(days=1)}, "„gilt bis“ liegt vor „gilt ab“."),
])
def test_a_pattern_that_cannot_work_is_refused_and_nothing_changes(town, people, fields,
                                                                   message):
    before = counts()
    with pytest.raises(Invalid, match=re.escape(message)):
        pattern_save(people, town, **fields)
    assert unchanged(before)


@pytest.mark.django_db
def test_overlapping_patterns_of_one_rider_or_vehicle_are_refused(town, people):
    # given Mo–Fr 14–21 for the rider on the bike
    pattern_save(people, town)
    before = counts()
    # when the same rider is put on the car on Friday afternoons, or another rider on the
    # bike on Mondays at 20:00
    with pytest.raises(Conflict,
                       match=re.escape("Überschneidet sich mit dem Schichtmuster „Mo, Di")):
        pattern_save(people, town, vehicle=town["car"], weekdays=[4], start_time=time(12),
                     end_time=time(15))
    with pytest.raises(Conflict, match=re.escape("Überschneidet sich")):
        pattern_save(people, town, rider=people["rider2"], weekdays=[0],
                     start_time=time(20), end_time=time(22))
    # then nothing changed
    assert unchanged(before)
    # while the bike's Saturday and the car's evenings are free
    pattern_save(people, town, weekdays=[5], start_time=time(10), end_time=time(16))
    pattern_save(people, town, rider=people["rider2"], vehicle=town["car"])


@pytest.mark.django_db
def test_a_pattern_clashing_with_a_hand_made_shift_is_refused(town, people):
    # given a shift made by hand for the second rider on the bike next Wednesday evening
    shift_create(rider=people["rider2"], vehicle=town["bike"], starts_at=at(WEDNESDAY, 18),
                 ends_at=at(WEDNESDAY, 22))
    before = counts()
    # when the operator saves a pattern for the bike on weekdays afternoons
    with pytest.raises(Conflict,
                       match=re.escape("Rad 1 ist am 02.12.2026 zu dieser Zeit schon vergeben")):
        pattern_save(people, town)
    # then neither pattern nor shifts nor a record were made
    assert unchanged(before)


@pytest.mark.django_db
def test_a_rider_or_vehicle_of_another_town_is_refused(town, people, gladbeck):
    before = counts()
    with pytest.raises(Invalid, match=re.escape("fährt nicht für Bottrop")):
        pattern_save(people, town, rider=gladbeck["rider"])
    with pytest.raises(Invalid, match=re.escape("Rad G1 gehört nicht zu Bottrop")):
        pattern_save(people, town, vehicle=gladbeck["bike"])
    with pytest.raises(Forbidden):
        pattern_save(people, town, by=people["dispatcher"])
    assert unchanged(before)


@pytest.mark.django_db
def test_changing_a_pattern_remakes_its_shifts_but_not_one_with_a_tour(town, people):
    # given the pattern's shifts, tomorrow's already with a published tour
    pattern, _ = pattern_save(people, town)
    tomorrow = Shift.objects.get(pattern=pattern, day=TUESDAY)
    tour_on(tomorrow)
    # when the operator moves the pattern to 15:00–20:00 in the car
    _, made = fleet.pattern_save(by=people["operator"], town=the_town(), pattern=pattern,
                                 rider=people["rider"], vehicle=town["car"], weekdays=MO_FR,
                                 start_time=time(15), end_time=time(20), valid_from=TODAY,
                                 valid_until=None, today=TODAY)
    # then every shift but tomorrow's follows, and the record shows the change
    assert made.removed == made.created == 18
    later = Shift.objects.get(pattern=pattern, day=WEDNESDAY)
    assert (later.vehicle, later.starts_at, later.ends_at) == (town["car"], at(WEDNESDAY, 15),
                                                               at(WEDNESDAY, 20))
    tomorrow.refresh_from_db()
    assert (tomorrow.vehicle, tomorrow.starts_at) == (town["bike"], at(TUESDAY, 14))
    entry = AuditEntry.objects.filter(model="Schichtmuster", action="geändert").get()
    assert entry.changes["vehicle_id"] == [town["bike"].pk, town["car"].pk]
    assert entry.changes["start_time"] == ["14:00:00", "15:00:00"]


@pytest.mark.django_db
def test_a_deactivated_pattern_loses_its_future_shifts_and_comes_back(town, people):
    pattern, _ = pattern_save(people, town)
    # when the operator switches it off
    made = fleet.pattern_active_set(by=people["operator"], pattern=pattern, active=False,
                                    today=WEDNESDAY)
    # then today's and later shifts are gone, earlier ones stay, nightly runs make none
    assert made.removed == 17
    assert [s.day for s in Shift.objects.filter(pattern=pattern)] == [TODAY, TUESDAY]
    assert shifts_generate(town=the_town(), start=TODAY, days=28).created == 0
    # when another pattern takes the bike and the first is switched on again
    pattern_save(people, town, rider=people["rider2"], valid_from=WEDNESDAY)
    with pytest.raises(Conflict, match=re.escape("Überschneidet sich")):
        fleet.pattern_active_set(by=people["operator"], pattern=pattern, active=True,
                                 today=WEDNESDAY)
    # then it stays off
    pattern.refresh_from_db()
    assert not pattern.active
    actions = list(AuditEntry.objects.filter(model="Schichtmuster", object_id=str(pattern.pk))
                   .values_list("action", flat=True))
    assert actions == ["deaktiviert", "angelegt"]


# --- exceptions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_sick_holiday_and_swap_days(town, people):
    pattern, _ = pattern_save(people, town)
    # when the rider is ill on Tuesday, on holiday on Thursday, and swaps Wednesday
    for day, kind, substitute in ((TUESDAY, "sick", None),
                                  (TODAY + timedelta(days=3), "holiday", None),
                                  (WEDNESDAY, "swap", people["rider2"])):
        fleet.pattern_exception_add(by=people["operator"], pattern=pattern, day=day, kind=kind,
                                    substitute=substitute, note="laut Anruf", today=TODAY)
    # then Tuesday and Thursday have no shift and Wednesday's is the substitute's
    by_day = {s.day: s.rider for s in Shift.objects.filter(pattern=pattern)}
    assert TUESDAY not in by_day and TODAY + timedelta(days=3) not in by_day
    assert by_day[WEDNESDAY] == people["rider2"] and by_day[TODAY] == people["rider"]
    # and generating again changes nothing
    again = shifts_generate(town=the_town(), start=TODAY, days=28)
    assert (again.created, again.removed) == (0, 0)
    # when the swap is taken back, Wednesday is the rider's again
    swap = ShiftException.objects.get(day=WEDNESDAY)
    fleet.pattern_exception_delete(by=people["operator"], exception=swap)
    assert Shift.objects.get(pattern=pattern, day=WEDNESDAY).rider == people["rider"]
    assert list(AuditEntry.objects.filter(model="Ausnahme vom Schichtmuster")
                .values_list("action", flat=True)) == ["gelöscht", "angelegt", "angelegt",
                                                       "angelegt"]


@pytest.mark.django_db
def test_an_exception_on_a_day_with_a_tour_leaves_the_shift_for_the_dispatcher(town, people):
    pattern, _ = pattern_save(people, town)
    tour_on(Shift.objects.get(pattern=pattern, day=TUESDAY))
    _, made = fleet.pattern_exception_add(by=people["operator"], pattern=pattern, day=TUESDAY,
                                          kind="sick", today=TODAY)
    assert len(made.kept) == 1 and made.removed == 0
    assert Shift.objects.filter(pattern=pattern, day=TUESDAY).exists()


@pytest.mark.django_db
def test_impossible_exceptions_are_refused(town, people):
    pattern, _ = pattern_save(people, town)
    # the substitute already rides the car on Wednesday evening
    shift_create(rider=people["rider2"], vehicle=town["car"], starts_at=at(WEDNESDAY, 17),
                 ends_at=at(WEDNESDAY, 20))
    fleet.pattern_exception_add(by=people["operator"], pattern=pattern, day=TUESDAY,
                                kind="sick", today=TODAY)
    before = counts()
    cases = [
        ({"day": TODAY - timedelta(days=7), "kind": "sick"}, Invalid, "in der Vergangenheit"),
        ({"day": SATURDAY, "kind": "sick"}, Invalid, "05.12.2026 hat dieses Schichtmuster "
                                                     "keine Schicht"),
        ({"day": date(2026, 12, 25), "kind": "sick"}, Invalid, "keine Schicht"),
        ({"day": TUESDAY, "kind": "holiday"}, Conflict, "gibt es schon eine Ausnahme"),
        ({"day": WEDNESDAY, "kind": "swap"}, Invalid, "bitte die Vertretung wählen"),
        ({"day": WEDNESDAY, "kind": "sick", "substitute": people["rider2"]}, Invalid,
         "Vertretung gibt es nur beim Tausch"),
        ({"day": WEDNESDAY, "kind": "swap", "substitute": people["rider"]}, Invalid,
         "fährt diese Schicht ohnehin"),
        ({"day": WEDNESDAY, "kind": "swap", "substitute": people["hotline"]}, Invalid,
         "fährt nicht für Bottrop"),
        ({"day": WEDNESDAY, "kind": "swap", "substitute": people["rider2"]}, Conflict,
         "hat am 02.12.2026 zu dieser Zeit schon eine Schicht"),
    ]
    for fields, error, message in cases:
        with pytest.raises(error, match=re.escape(message)):
            fleet.pattern_exception_add(by=people["operator"], pattern=pattern, today=TODAY,
                                        **fields)
    assert unchanged(before)
    assert Shift.objects.get(pattern=pattern, day=WEDNESDAY).rider == people["rider"]


# --- riders who left ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_inactive_rider_gets_no_new_shifts_and_is_not_planned(town, people):
    # given a pattern made for one week, and a swap to the second rider in week three
    with override_settings(LOUISE_SHIFT_WEEKS_AHEAD=1):
        pattern, _ = pattern_save(people, town)
    swap_day = TODAY + timedelta(days=15)
    ShiftException.objects.create(pattern=pattern, day=swap_day, kind="swap",
                                  substitute=people["rider2"])
    # when both riders are deactivated (they left)
    for rider in (people["rider"], people["rider2"]):
        rider.is_active = False
        rider.save(update_fields=["is_active"])
    # then the nightly generation makes no new shift for them, not even the swap's
    made = shifts_generate(town=the_town(), start=TODAY + timedelta(days=7), days=21)
    assert made.created == 0
    assert Shift.objects.filter(pattern=pattern, day__gte=TODAY + timedelta(days=7)).count() == 0
    # and the shifts already made are left out of planning
    assert list(plannable_shifts(Day(TUESDAY, the_town().pk))) == []
    # while an active rider's shift is planned
    people["rider2"].is_active = True
    people["rider2"].save(update_fields=["is_active"])
    extra = shift_create(rider=people["rider2"], vehicle=town["car"], starts_at=at(TUESDAY, 9),
                         ends_at=at(TUESDAY, 12))
    assert list(plannable_shifts(Day(TUESDAY, the_town().pk))) == [extra]


@pytest.mark.django_db
def test_generation_drops_an_inactive_riders_shifts_without_tours(town, people):
    pattern, _ = pattern_save(people, town)
    tour_on(Shift.objects.get(pattern=pattern, day=TUESDAY))
    people["rider"].is_active = False
    people["rider"].save(update_fields=["is_active"])
    made = shifts_generate(town=the_town(), start=TUESDAY, days=7)
    assert (made.created, made.removed, len(made.kept)) == (0, 4, 1)



@pytest.mark.django_db
def test_a_rider_taken_off_the_towns_team_gets_no_new_shifts(town, people):
    with override_settings(LOUISE_SHIFT_WEEKS_AHEAD=1):
        pattern, _ = pattern_save(people, town)
    # when the rider no longer works for Bottrop (still active elsewhere)
    the_town().staff.remove(people["rider"])
    # then the pattern's coming shifts go and no new ones are made
    made = shifts_generate(town=the_town(), start=TODAY, days=14)
    assert (made.created, made.removed) == (0, 5)
    assert not Shift.objects.filter(pattern=pattern).exists()

# --- the day's shifts (dispatch) ----------------------------------------------------------


@pytest.mark.django_db
def test_the_dispatcher_adds_changes_and_deletes_a_shift_on_the_record(town, people):
    dispo = people["dispatcher"]
    # when the dispatcher adds a stand-in shift on Tuesday, then moves it to the car
    shift = fleet.shift_add(by=dispo, town=the_town(), rider=people["rider2"],
                            vehicle=town["bike"], day=TUESDAY, start_time=time(16),
                            end_time=time(20))
    fleet.shift_change(by=dispo, shift=shift, rider=people["rider2"], vehicle=town["car"],
                       start_time=time(15), end_time=time(21))
    shift.refresh_from_db()
    assert (shift.vehicle, shift.starts_at, shift.ends_at) == (town["car"], at(TUESDAY, 15),
                                                               at(TUESDAY, 21))
    # and deletes it
    fleet.shift_delete(by=dispo, shift=shift)
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert list(AuditEntry.objects.filter(model="Schicht").values_list("action", "by")) == [
        ("gelöscht", dispo.pk), ("geändert", dispo.pk), ("angelegt", dispo.pk)]
    changed = AuditEntry.objects.get(model="Schicht", action="geändert")
    assert set(changed.changes) == {"vehicle_id", "starts_at", "ends_at"}


@pytest.mark.django_db
def test_overlapping_or_impossible_shifts_are_refused(town, people, gladbeck):
    dispo = people["dispatcher"]
    shift = fleet.shift_add(by=dispo, town=the_town(), rider=people["rider"],
                            vehicle=town["bike"], day=TUESDAY, start_time=time(14),
                            end_time=time(21))
    before = counts()
    cases = [
        ({"rider": people["rider"], "vehicle": town["car"], "start_time": time(20),
          "end_time": time(22)}, Conflict, "hat am 01.12.2026 zu dieser Zeit schon eine Schicht"),
        ({"rider": people["rider2"], "vehicle": town["bike"], "start_time": time(9),
          "end_time": time(15)}, Conflict, "Rad 1 ist am 01.12.2026 zu dieser Zeit"),
        ({"rider": people["rider2"], "vehicle": town["car"], "start_time": time(22),
          "end_time": time(1)}, Invalid, "über Mitternacht"),
        ({"rider": people["hotline"], "vehicle": town["car"], "start_time": time(9),
          "end_time": time(12)}, Invalid, "fährt nicht für Bottrop"),
        ({"rider": gladbeck["rider"], "vehicle": town["car"], "start_time": time(9),
          "end_time": time(12)}, Invalid, "fährt nicht für Bottrop"),
        ({"rider": people["rider2"], "vehicle": gladbeck["bike"], "start_time": time(9),
          "end_time": time(12)}, Invalid, "Rad G1 gehört nicht zu Bottrop"),
    ]
    for fields, error, message in cases:
        with pytest.raises(error, match=re.escape(message)):
            fleet.shift_add(by=dispo, town=the_town(), day=TUESDAY, **fields)
    # changing the shift onto a busy car is refused too
    shift_create(rider=people["rider2"], vehicle=town["car"], starts_at=at(TUESDAY, 18),
                 ends_at=at(TUESDAY, 20))
    before = counts()
    with pytest.raises(Conflict, match=re.escape("Auto 1 ist am 01.12.2026")):
        fleet.shift_change(by=dispo, shift=shift, rider=people["rider"], vehicle=town["car"],
                           start_time=time(14), end_time=time(21))
    assert unchanged(before)
    shift.refresh_from_db()
    assert shift.vehicle == town["bike"]


@pytest.mark.django_db
def test_shifts_out_with_a_rider_stay(town, people):
    dispo = people["dispatcher"]
    shift = fleet.shift_add(by=dispo, town=the_town(), rider=people["rider"],
                            vehicle=town["bike"], day=TUESDAY, start_time=time(14),
                            end_time=time(21))
    tour = tour_on(shift, TourStatus.DRAFT)
    # a draft tour: the shift may change but not go
    fleet.shift_change(by=dispo, shift=shift, rider=people["rider"], vehicle=town["bike"],
                       start_time=time(13), end_time=time(21))
    with pytest.raises(Conflict, match=re.escape("hat schon Touren")):
        fleet.shift_delete(by=dispo, shift=shift)
    # a published tour: neither
    Tour.objects.filter(pk=tour.pk).update(status=TourStatus.PUBLISHED)
    with pytest.raises(Conflict, match=re.escape("veröffentlichte Tour")):
        fleet.shift_change(by=dispo, shift=shift, rider=people["rider2"], vehicle=town["bike"],
                           start_time=time(14), end_time=time(21))
    shift.refresh_from_db()
    assert (shift.rider, shift.starts_at) == (people["rider"], at(TUESDAY, 13))


@pytest.mark.django_db
def test_the_dispatchers_changes_to_pattern_shifts_survive_the_nightly_run(town, people):
    pattern, _ = pattern_save(people, town)
    dispo = people["dispatcher"]
    # when the dispatcher gives Tuesday's shift to the second rider and deletes Wednesday's
    tuesday = Shift.objects.get(pattern=pattern, day=TUESDAY)
    fleet.shift_change(by=dispo, shift=tuesday, rider=people["rider2"], vehicle=town["bike"],
                       start_time=time(14), end_time=time(21))
    fleet.shift_delete(by=dispo, shift=Shift.objects.get(pattern=pattern, day=WEDNESDAY))
    # then the nightly run neither reverts the one nor brings back the other
    made = shifts_generate(town=the_town(), start=TODAY, days=28)
    assert (made.created, made.removed) == (0, 0)
    assert Shift.objects.get(pattern=pattern, day=TUESDAY).rider == people["rider2"]
    assert not Shift.objects.filter(pattern=pattern, day=WEDNESDAY).exists()
    assert ShiftException.objects.get(pattern=pattern, day=WEDNESDAY).kind == "holiday"


@pytest.mark.django_db
def test_another_towns_shifts_are_unknown(town, people, gladbeck):
    theirs = shift_create(rider=gladbeck["rider"], vehicle=gladbeck["bike"],
                          starts_at=at(TUESDAY, 14), ends_at=at(TUESDAY, 21))
    for action in (lambda: shift_for(user=people["dispatcher"], shift_id=theirs.pk),
                   lambda: fleet.shift_delete(by=people["dispatcher"], shift=theirs),
                   lambda: fleet.shift_change(by=people["operator"], shift=theirs,
                                              rider=gladbeck["rider"], vehicle=gladbeck["bike"],
                                              start_time=time(9), end_time=time(10)),
                   lambda: fleet.shift_add(by=people["dispatcher"], town=gladbeck["town"],
                                           rider=gladbeck["rider"], vehicle=gladbeck["bike"],
                                           day=WEDNESDAY, start_time=time(9),
                                           end_time=time(10))):
        with pytest.raises(NotFound):
            action()
    assert Shift.objects.filter(vehicle=gladbeck["bike"]).count() == 1
    # and a rider may not edit shifts at all
    with pytest.raises(Forbidden):
        fleet.shift_delete(by=people["rider"], shift=theirs)
