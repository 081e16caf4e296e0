"""Where things are: zones of the service area, the hub, addresses, pickup points, lockers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.hours import validate_opening_hours

LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LON = [MinValueValidator(-180), MaxValueValidator(180)]
POSTCODE = RegexValidator(r"^\d{5}$", _("Postleitzahl hat fünf Ziffern."))


class VehicleKind(models.TextChoices):
    BIKE = "bike", _("E-Lastenrad")
    CAR = "car", _("E-Auto")


class Zone(models.Model):
    """A part of the service area, switched on or off, tied to the vehicle kinds serving it."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    postcodes = models.JSONField(_("Postleitzahlen"), default=list)
    active = models.BooleanField(_("aktiv"), default=True)
    vehicle_kinds = models.JSONField(_("Fahrzeugarten"), default=list)

    class Meta:
        verbose_name = _("Zone")
        verbose_name_plural = _("Zonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        for code in self.postcodes:
            POSTCODE(code)
        unknown = set(self.vehicle_kinds) - set(VehicleKind.values)
        if unknown:
            raise ValidationError({"vehicle_kinds": f"Unbekannte Fahrzeugart: {sorted(unknown)}"})


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
    name = models.CharField(_("Name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Hub")
        verbose_name_plural = _("Hubs")

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
    """A delivery or pickup address; services derive its zone from the postcode."""

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

    name = models.CharField(_("Name"), max_length=80, unique=True)
    opening_hours = models.JSONField(_("Öffnungszeiten"), default=dict,
                                     validators=[validate_opening_hours])
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Abholstelle")
        verbose_name_plural = _("Abholstellen")

    def __str__(self) -> str:
        return self.name


class Locker(Place):
    """A 24/7 parcel locker; customers open their compartment with a code."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Paketstation")
        verbose_name_plural = _("Paketstationen")

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
