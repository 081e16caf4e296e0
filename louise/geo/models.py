"""Where things are: towns, zones of their service areas, hubs, addresses, pickup points,
lockers."""

from dataclasses import asdict
from datetime import time, timedelta
from typing import TYPE_CHECKING, TypedDict, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import Count, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.calendar import Schedule
from louise.core.errors import Invalid
from louise.core.hours import validate_opening_hours

from .areas import area_check, area_contains
from .report_costs import report_costs_default, report_costs_problem
from .stop_times import (
    DEPOT_S,
    DROP_S,
    HUB_S,
    PICKUP_S,
    SHARED_S,
    SHOPPING_S,
    STOP_MOST_S,
    StopTimes,
)
from .vehicle_costs import DEFAULTS as COSTS
from .vehicle_costs import VehicleCosts, costs_default, costs_problem

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LON = [MinValueValidator(-180), MaxValueValidator(180)]
STOP_SECONDS = [MaxValueValidator(STOP_MOST_S)]
POSTCODE = RegexValidator(r"^\d{5}$", _("Postleitzahl hat fünf Ziffern."))


class VehicleKind(models.TextChoices):
    BIKE = "bike", _("E-Lastenrad")
    CAR = "car", _("E-Auto")


class HolidayRegion(models.TextChoices):
    """The German states, whose public holidays differ (`holidays` package codes)."""

    BW = "DE-BW", "Baden-Württemberg"
    BY = "DE-BY", "Bayern"
    BE = "DE-BE", "Berlin"
    BB = "DE-BB", "Brandenburg"
    HB = "DE-HB", "Bremen"
    HH = "DE-HH", "Hamburg"
    HE = "DE-HE", "Hessen"
    MV = "DE-MV", "Mecklenburg-Vorpommern"
    NI = "DE-NI", "Niedersachsen"
    NW = "DE-NW", "Nordrhein-Westfalen"
    RP = "DE-RP", "Rheinland-Pfalz"
    SL = "DE-SL", "Saarland"
    SN = "DE-SN", "Sachsen"
    ST = "DE-ST", "Sachsen-Anhalt"
    SH = "DE-SH", "Schleswig-Holstein"
    TH = "DE-TH", "Thüringen"


# A failed drop's next ways, tried in the town's order (see logistics.fallback).
FALLBACK_RULES = ("locker", "point", "next_wave")


def monday_to_friday() -> list[int]:
    return [0, 1, 2, 3, 4]


def fallback_default() -> list[str]:
    return list(FALLBACK_RULES)


class Town(models.Model):
    """A town of the region with its own service: it owns its zones, hubs, points, lockers,
    fleet, shops, orders, legs and plans, and its operator sets its rhythm and prices here.
    The `LOUISE_*` settings are only the defaults a new town starts from."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    active = models.BooleanField(_("aktiv"), default=True)
    time_zone = models.CharField(_("Zeitzone"), max_length=40, default="Europe/Berlin",
                                 choices=[("Europe/Berlin", "Europe/Berlin")])
    holiday_region = models.CharField(_("Feiertage nach"), max_length=5,
                                      choices=HolidayRegion.choices, default=HolidayRegion.NW)
    order_cutoff = models.TimeField(_("Bestellschluss für dieselbe Welle"), default=time(14))
    wave_start = models.TimeField(_("Lieferwelle ab"), default=time(17, 30))
    wave_end = models.TimeField(_("Lieferwelle bis"), default=time(20, 30))
    working_days = models.JSONField(_("Liefertage (0 = Montag)"), default=monday_to_friday)
    slot_capacity = models.PositiveIntegerField(_("Stopps je Lieferwelle"), default=80)
    bookable_waves = models.PositiveSmallIntegerField(
        _("buchbare Lieferwellen im Voraus"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    fallback_order = models.JSONField(_("Ersatzwege nach gescheiterter Zustellung"),
                                      default=fallback_default, blank=True)
    # What a vehicle of each kind costs: the planner minimises it (see vehicle_costs).
    vehicle_costs = models.JSONField(_("Fahrzeugkosten je Art"), default=costs_default)
    # Hub rent, software and the CO2e baselines of the town's report (see report_costs).
    report_costs = models.JSONField(_("Kosten und Faktoren des Berichts"),
                                    default=report_costs_default)
    # The City-Station's afternoon: bike rounds collect from the shops from `hub_collection_start`
    # and bring the goods to the hub by `hub_sorting_deadline`, when sorting for the evening
    # wave begins (logistics/hub_routing.py).
    hub_collection_start = models.TimeField(_("Sammelrunden zum City-Depot ab"), default=time(14))
    hub_sorting_deadline = models.TimeField(_("Sortierschluss im City-Depot"), default=time(17))
    # A bought shopping list dearer than its budget by more than this waits for the
    # customer's (or the hotline's) yes before it goes out.
    shopping_tolerance_pct = models.PositiveSmallIntegerField(
        _("Einkaufszettel: erlaubte Überschreitung des Budgets (%)"), default=10,
        validators=[MaxValueValidator(100)])
    # How long a rider spends at a stop (see stop_times): the planner's service times.
    stop_pickup_s = models.PositiveIntegerField(
        _("Abholen je Sendung, meist am Ladentisch (s)"), default=PICKUP_S,
        validators=STOP_SECONDS)
    stop_drop_s = models.PositiveIntegerField(
        _("Abgeben je Sendung an Tür, Abholstelle oder Paketstation (s)"), default=DROP_S,
        validators=STOP_SECONDS)
    stop_shared_s = models.PositiveIntegerField(
        _("davon einmal je Halt an einem Ort (s)"), default=SHARED_S, validators=STOP_SECONDS)
    stop_hub_s = models.PositiveIntegerField(
        _("Halt an der Rampe des City-Depots je Sendung (s)"), default=HUB_S,
        validators=STOP_SECONDS)
    stop_shopping_s = models.PositiveIntegerField(
        _("Einkauf eines Einkaufszettels (s)"), default=SHOPPING_S, validators=STOP_SECONDS)
    stop_depot_s = models.PositiveIntegerField(
        _("Umschlag im City-Depot je Sendung durch das Personal (s)"), default=DEPOT_S,
        validators=STOP_SECONDS)
    map_tiles = models.CharField(_("Kartenkacheln (URL-Vorlage)"), max_length=200, blank=True)
    map_attribution = models.CharField(_("Kartennachweis"), max_length=200, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="towns",
                                   verbose_name=_("Team"))

    class Meta:
        verbose_name = _("Stadt")
        verbose_name_plural = _("Städte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_settings(cls, *, name: str, slug: str) -> "Town":
        """A new, unsaved town with today's `LOUISE_*` settings as its values."""
        return cls(
            name=name, slug=slug, holiday_region=settings.LOUISE_HOLIDAY_REGION,
            order_cutoff=time.fromisoformat(settings.LOUISE_ORDER_CUTOFF),
            wave_start=time.fromisoformat(settings.LOUISE_WAVE_START),
            wave_end=time.fromisoformat(settings.LOUISE_WAVE_END),
            working_days=list(settings.LOUISE_WORKING_DAYS),
            slot_capacity=settings.LOUISE_SLOT_CAPACITY,
            bookable_waves=settings.LOUISE_BOOKABLE_WAVES,
            fallback_order=list(settings.LOUISE_FALLBACK_ORDER),
            map_tiles=settings.LOUISE_MAP_TILES, map_attribution=settings.LOUISE_MAP_ATTRIBUTION,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.wave_start and self.wave_end and self.wave_end <= self.wave_start:
            errors["wave_end"] = "Die Lieferwelle muss nach ihrem Beginn enden (nicht über " \
                                 "Mitternacht)."
        if self.order_cutoff and self.wave_start and self.order_cutoff > self.wave_start:
            errors["order_cutoff"] = "Der Bestellschluss muss vor dem Beginn der Welle liegen."
        if (self.hub_collection_start and self.hub_sorting_deadline and self.wave_start
                and not self.hub_collection_start < self.hub_sorting_deadline <= self.wave_start):
            errors["hub_sorting_deadline"] = ("Der Sortierschluss muss nach dem Beginn der "
                                              "Sammelrunden und spätestens zum Beginn der "
                                              "Lieferwelle liegen.")
        days = self.working_days
        if (not isinstance(days, list) or not days
                or not all(isinstance(d, int) and 0 <= d <= 6 for d in days)):
            errors["working_days"] = "Mindestens ein Liefertag (0 = Montag bis 6 = Sonntag)."
        rules = self.fallback_order
        if (not isinstance(rules, list) or len(set(rules)) != len(rules)
                or not set(rules) <= set(FALLBACK_RULES)):
            errors["fallback_order"] = ("Ersatzwege sind nur locker, point und next_wave, "
                                        "jeder höchstens einmal.")
        if problem := costs_problem(self.vehicle_costs):
            errors["vehicle_costs"] = problem
        if problem := report_costs_problem(self.report_costs):
            errors["report_costs"] = problem
        if problem := self._stop_problem():
            errors["stop_shared_s"] = problem
        if self.slot_capacity is not None and self.slot_capacity < 1:
            errors["slot_capacity"] = "Eine Lieferwelle braucht Platz für mindestens einen Stopp."
        if self.map_tiles and self.map_tiles != settings.LOUISE_MAP_TILES:
            tiles = urlsplit(self.map_tiles)
            if tiles.scheme != "https" or tiles.netloc not in settings.LOUISE_MAP_TILE_HOSTS:
                errors["map_tiles"] = ("Kartenkacheln nur über https:// von einem freigegebenen "
                                       "Server: " + ", ".join(settings.LOUISE_MAP_TILE_HOSTS))
            elif not all(part in self.map_tiles for part in ("{z}", "{x}", "{y}")):
                errors["map_tiles"] = ("Die URL-Vorlage der Kartenkacheln braucht {z}, {x} und "
                                       "{y}.")
        if errors:
            raise ValidationError(errors)

    def _stop_problem(self) -> str | None:
        """The shared part of a stop is a part of each stop at a shop, a door, a point or a
        locker: longer than one of them, the planner would give that stop less than nothing."""
        shared = self.stop_shared_s
        if shared is None:
            return None
        for seconds, stop in ((self.stop_pickup_s, _("das Abholen")),
                              (self.stop_drop_s, _("das Abgeben")),
                              (self.stop_shopping_s, _("der Einkauf"))):
            if seconds is not None and shared > seconds:
                return _("Der Teil eines Stopps, den Stopps nacheinander am selben Ort teilen "
                         "(%(shared)d s), darf nicht länger sein als %(stop)s (%(seconds)d s)."
                         ) % {"shared": shared, "stop": stop, "seconds": seconds}
        return None

    @property
    def stop_times(self) -> StopTimes:
        """How long a rider spends at a stop in this town (see stop_times)."""
        return StopTimes(pickup=timedelta(seconds=self.stop_pickup_s),
                         drop=timedelta(seconds=self.stop_drop_s),
                         shared=timedelta(seconds=self.stop_shared_s),
                         hub=timedelta(seconds=self.stop_hub_s),
                         shopping=timedelta(seconds=self.stop_shopping_s),
                         depot=timedelta(seconds=self.stop_depot_s))

    @property
    def schedule(self) -> Schedule:
        return Schedule(cutoff=self.order_cutoff.strftime("%H:%M"),
                        wave_start=self.wave_start.strftime("%H:%M"),
                        wave_end=self.wave_end.strftime("%H:%M"),
                        working_days=tuple(self.working_days),
                        holiday_region=self.holiday_region)

    def costs_of(self, kind: str) -> VehicleCosts:
        """What a vehicle of `kind` (a `VehicleKind`) costs in this town; what the town has
        not set, the default."""
        return VehicleCosts(**{**asdict(COSTS[kind]), **self.vehicle_costs.get(kind, {})})

    def report_factor(self, key: str) -> int:
        """One of the report's costs or factors (`report_costs.FACTORS`); the default where
        the town has set none."""
        return self.report_costs.get(key, report_costs_default()[key])

    @property
    def tiles(self) -> str:
        return self.map_tiles or settings.LOUISE_MAP_TILES


def default_town_id() -> int:
    """The town a row belongs to when its creator names none (filled in just before it is
    saved, see `_town_default`): the first town, made from the settings when there is none
    yet. A one-town installation never has to think about towns; with several, every
    service that creates town-bound rows names the town."""
    first = Town.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        return first
    town = Town.from_settings(name=settings.LOUISE_DEFAULT_TOWN,
                              slug=settings.LOUISE_DEFAULT_TOWN.lower())
    return _first_town_insert(town)


def _first_town_insert(town: Town) -> int:
    """Insert with the columns the table has so far: on a fresh database the migrations
    that give existing rows a town call `default_town_id` before the later Town fields
    (e.g. the hub's collection times) are migrated, and a plain save would name them."""
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, Town._meta.db_table)}
    fields = [f for f in Town._meta.local_concrete_fields
              if f.column in columns and not f.primary_key]
    # the manager's insert with a chosen list of fields (what `save` does with all of them)
    return Town._base_manager._insert(  # type: ignore[attr-defined]
        [town], fields=fields, returning_fields=[Town._meta.pk])[0][0]


def town_field(**kwargs) -> "models.ForeignKey[Town, Town]":
    """The `town` of a town-bound model (the one spelling every app uses). Blank in forms
    and validation only: a row saved without a town gets the first town."""
    return models.ForeignKey(Town, on_delete=models.PROTECT, blank=True,
                             verbose_name=_("Stadt"), **kwargs)


@receiver(pre_save)
def _town_default(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    if getattr(instance, "town_id", False) is None and sender is not Town:
        instance.town_id = default_town_id()  # type: ignore[attr-defined]


class Zone(models.Model):
    """A part of the service area, switched on or off, tied to the vehicle kinds serving it.
    It covers the points inside its drawn `area`, or, while it has none, its postcodes."""

    town = town_field(related_name="zones")
    name = models.CharField(_("Name"), max_length=80)
    postcodes = models.JSONField(_("Postleitzahlen"), default=list, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    vehicle_kinds = models.JSONField(_("Fahrzeugarten"), default=list)
    # GeoJSON Polygon or MultiPolygon in lon/lat order, as `areas.area_check` stores it.
    area = models.JSONField(_("Fläche (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zone")
        verbose_name_plural = _("Zonen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="zone_name_per_town")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for code in self.postcodes:
            POSTCODE(code)
        unknown = set(self.vehicle_kinds) - set(VehicleKind.values)
        if unknown:
            raise ValidationError({"vehicle_kinds": f"Unbekannte Fahrzeugart: {sorted(unknown)}"})
        if self.area is not None:
            try:
                area_check(self.area)
            except Invalid as exc:
                raise ValidationError({"area": exc.message}) from exc

    def covers(self, *, postcode: str, lat: float, lon: float) -> bool:
        """Whether a place lies in this zone (on or off): inside its area if it has one,
        else by its postcode."""
        if self.area is not None:
            return area_contains(self.area, lat=lat, lon=lon)
        return postcode in self.postcodes


class Place(models.Model):
    """Fields every located thing shares."""

    street = models.CharField(_("Straße und Hausnummer"), max_length=120)
    postcode = models.CharField(_("PLZ"), max_length=5, validators=[POSTCODE])
    city = models.CharField(_("Ort"), max_length=80, default="Bottrop")
    district = models.CharField(_("Stadtteil"), max_length=80, blank=True)
    lat = models.FloatField(_("Breite"), validators=LAT)
    lon = models.FloatField(_("Länge"), validators=LON)

    class Meta:
        abstract = True

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class Hub(Place):
    town = town_field(related_name="hubs")
    name = models.CharField(_("Name"), max_length=80)

    class Meta:
        verbose_name = _("Hub")
        verbose_name_plural = _("Hubs")
        constraints = [models.UniqueConstraint(fields=["town", "name"],
                                               name="hub_name_per_town")]

    def __str__(self) -> str:
        return self.name


class Precision(models.TextChoices):
    """How exactly the gazetteer placed an address, best first."""

    HOUSE = "house", _("Haus")  # the house itself is in the gazetteer
    # between two known numbers on the same side of the street
    INTERPOLATED = "interpolated", _("zwischen Nachbarhäusern geschätzt")
    NEAREST_HOUSE = "nearest_house", _("nächstes bekanntes Haus")  # closest known number
    STREET = "street", _("Straßenmitte")  # no numbered house known on the street
    POSTCODE = "postcode", _("PLZ-Mitte")  # the gazetteer does not cover the postcode
    # The gazetteer covers the postcode but not the street (new, or missing in the map):
    # the customer confirmed it, it sits at the postcode's centre until the operator checks.
    UNKNOWN_STREET = "unknown_street", _("Straße nicht im Verzeichnis – zu prüfen")


class Address(Place):
    """A delivery or pickup address, stored with the zone it lies in (see
    `selectors.zone_choose`; kept up to date when a zone changes)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="addresses", verbose_name=_("Person"),
    )
    label = models.CharField(_("Bezeichnung"), max_length=40, blank=True)
    recipient = models.CharField(_("Empfänger"), max_length=120, blank=True)
    notes = models.CharField(_("Hinweise"), max_length=200, blank=True)
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL)
    # Blank where the caller brought its own position (API clients) or the address predates
    # the gazetteer: then nobody can say how exact it is.
    precision = models.CharField(_("Genauigkeit"), max_length=16, choices=Precision.choices,
                                 blank=True)

    class Meta:
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")

    def __str__(self) -> str:
        return self.one_line

    @property
    def approximate(self) -> bool:
        """Placed by estimate: the rider may have to look for the door."""
        return self.precision not in ("", Precision.HOUSE)


class PickupPoint(Place):
    """A kiosk, petrol station or market stand where customers collect parcels."""

    town = town_field(related_name="pickup_points")
    name = models.CharField(_("Name"), max_length=80)
    opening_hours = models.JSONField(_("Öffnungszeiten"), default=dict,
                                     validators=[validate_opening_hours])
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Abholstelle")
        verbose_name_plural = _("Abholstellen")
        constraints = [models.UniqueConstraint(fields=["town", "name"],
                                               name="pickuppoint_name_per_town")]

    def __str__(self) -> str:
        return self.name


# A compartment that can take the next parcel: empty and in service.
FREE_COMPARTMENT = Q(order=None, out_of_service=False)


class FreeCompartments(TypedDict):
    free: int


class LockerQuerySet(models.QuerySet["Locker"]):
    def with_free(self) -> "models.QuerySet[WithAnnotations[Locker, FreeCompartments]]":
        """Each locker with `free`, its number of compartments that can take a parcel."""
        return cast("models.QuerySet[WithAnnotations[Locker, FreeCompartments]]",
                    self.annotate(free=Count("compartments", filter=Q(
                        compartments__order=None, compartments__out_of_service=False))))


class Locker(Place):
    """A 24/7 parcel locker; customers open their compartment with a code."""

    town = town_field(related_name="lockers")
    name = models.CharField(_("Name"), max_length=80)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = LockerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Paketstation")
        verbose_name_plural = _("Paketstationen")
        constraints = [models.UniqueConstraint(fields=["town", "name"],
                                               name="locker_name_per_town")]

    def __str__(self) -> str:
        return self.name


class CompartmentSize(models.TextChoices):
    S = "S", _("klein")
    M = "M", _("mittel")
    L = "L", _("groß")


# Largest parcel volume (ml) each compartment size takes.
COMPARTMENT_ML = {CompartmentSize.S: 15_000, CompartmentSize.M: 40_000,
                  CompartmentSize.L: 100_000}


class LockerCompartment(models.Model):
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="compartments")
    number = models.PositiveSmallIntegerField(_("Fach"))
    size = models.CharField(_("Größe"), max_length=1, choices=CompartmentSize.choices)
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="compartment",
    )
    code = models.CharField(_("Öffnungscode"), max_length=8, blank=True)
    # Broken door, jammed lock: no parcel is put in until it is repaired (a parcel already
    # inside can still be collected).
    out_of_service = models.BooleanField(_("außer Betrieb"), default=False)

    class Meta:
        verbose_name = _("Fach")
        verbose_name_plural = _("Fächer")
        constraints = [
            models.UniqueConstraint(fields=["locker", "number"], name="compartment_number_unique")
        ]
        ordering = ["locker", "number"]

    def __str__(self) -> str:
        return f"{self.locker} Fach {self.number} ({self.size})"


class LockerCredential(models.Model):
    """The secret a locker's controller signs in with: it opens compartments of this one
    locker and reaches nothing else (no operator token on a box in the street). Only its
    hash is stored; `louise locker_credential` makes one and shows it once."""

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="credentials")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("widerrufen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zugang der Paketstation")
        verbose_name_plural = _("Zugänge der Paketstationen")

    def __str__(self) -> str:
        return f"{self.locker} seit {self.created_at:%d.%m.%Y}"


class LockerFailedOpen(models.Model):
    """A code that opened nothing at this locker; enough of them in a short time lock the
    locker's code entry for a while, so codes cannot be tried one after another."""

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="failed_opens")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("falscher Code")
        verbose_name_plural = _("falsche Codes")
        indexes = [models.Index(fields=["locker", "at"])]

    def __str__(self) -> str:
        return f"{self.locker} {self.at:%d.%m.%Y %H:%M}"


class Street(models.Model):
    """A street of the gazetteer, imported from OpenStreetMap or seeded by the demo.

    One row per street and postcode area as people name it; `area` says which import it came
    from, so importing the same area again replaces exactly its rows.
    """

    area = models.CharField(_("Gebiet"), max_length=80, db_index=True)
    name = models.CharField(_("Name"), max_length=120)
    # Folded for prefix search (see gazetteer.name_key); db_index gives PostgreSQL its
    # pattern-ops index, so `startswith` is an index range scan.
    name_key = models.CharField(_("Suchschlüssel"), max_length=120, db_index=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[POSTCODE])
    city = models.CharField(_("Ort"), max_length=80)
    district = models.CharField(_("Stadtteil"), max_length=80, blank=True)
    lat = models.FloatField(_("Breite"), validators=LAT)
    lon = models.FloatField(_("Länge"), validators=LON)
    min_lat = models.FloatField(validators=LAT)
    min_lon = models.FloatField(validators=LON)
    max_lat = models.FloatField(validators=LAT)
    max_lon = models.FloatField(validators=LON)
    # A few [lat, lon] along the street, to place a house that has no number of its own.
    points = models.JSONField(_("Stützpunkte"), default=list)

    class Meta:
        verbose_name = _("Straße")
        verbose_name_plural = _("Straßen")
        ordering = ["name_key", "postcode"]
        indexes = [models.Index(fields=["postcode", "name_key"], name="street_postcode_key")]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode} {self.city}"


class HouseAddress(models.Model):
    """A house number on a gazetteer street with its own position."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="houses")
    housenumber = models.CharField(_("Hausnummer"), max_length=20)
    # The leading number ("12a" → 12), to order houses and interpolate between them.
    number = models.PositiveIntegerField(null=True, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[POSTCODE])
    lat = models.FloatField(_("Breite"), validators=LAT)
    lon = models.FloatField(_("Länge"), validators=LON)

    class Meta:
        verbose_name = _("Hausadresse")
        verbose_name_plural = _("Hausadressen")
        ordering = ["street", "number", "housenumber"]
        constraints = [models.UniqueConstraint(fields=["street", "housenumber"],
                                               name="house_number_unique_per_street")]

    def __str__(self) -> str:
        return f"{self.street.name} {self.housenumber}"
