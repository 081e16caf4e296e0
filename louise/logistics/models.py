"""Transport: legs of goods, the fleet and its shifts, planned tours and their stops, proofs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.calendar import WEEKDAY_NAMES
from louise.core.images import RandomName
from louise.geo.models import LAT, LON, VehicleKind, town_field
from louise.geo.stop_times import DROP_S, PICKUP_S


class LegKind(models.TextChoices):
    DELIVERY = "delivery", _("Zustellung")
    ITEM_PICKUP = "item_pickup", _("Abholung beim Kunden")
    RETURN = "return", _("Rückgabe")
    # Shop → hub in the afternoon (goods), hub → shop the next morning (a repair item whose
    # shop had closed): logistics/hub_routing.py.
    TRANSFER = "transfer", _("Umschlag über den Hub")
    # A shopping list: the shopper buys it in the store (a long stop), then delivers it.
    SHOPPING = "shopping", _("Einkauf und Zustellung")


class LegStatus(models.TextChoices):
    WAITING = "waiting", _("wartet")          # depends on an event that has not happened
    OPEN = "open", _("offen")
    PLANNED = "planned", _("eingeplant")
    COLLECTED = "collected", _("abgeholt")
    DELIVERED = "delivered", _("abgeliefert")
    FAILED = "failed", _("fehlgeschlagen")
    CANCELLED = "cancelled", _("storniert")


class Leg(models.Model):
    """One movement of goods from A to B, inside time windows. Places are snapshots so a
    later change of a shop's address cannot move a parcel that is already on its way."""

    town = town_field(related_name="legs")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="legs")
    kind = models.CharField(_("Art"), max_length=12, choices=LegKind.choices)
    status = models.CharField(_("Status"), max_length=10, choices=LegStatus.choices,
                              default=LegStatus.OPEN, db_index=True)
    depends_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="dependants")
    pickup_ref = models.CharField(max_length=40)
    pickup_label = models.CharField(_("Abholung bei"), max_length=160)
    pickup_lat = models.FloatField(validators=LAT)
    pickup_lon = models.FloatField(validators=LON)
    pickup_from = models.DateTimeField(_("Abholung ab"))
    pickup_until = models.DateTimeField(_("Abholung bis"))
    # Service seconds of the leg's stops, from its town's stop times when it is made
    # (`legs._create`); the defaults are a new town's.
    pickup_service_s = models.PositiveIntegerField(default=PICKUP_S)
    drop_ref = models.CharField(max_length=40)
    drop_label = models.CharField(_("Zustellung an"), max_length=160)
    drop_lat = models.FloatField(validators=LAT)
    drop_lon = models.FloatField(validators=LON)
    drop_from = models.DateTimeField(_("Zustellung ab"))
    drop_until = models.DateTimeField(_("Zustellung bis"))
    drop_service_s = models.PositiveIntegerField(default=DROP_S)
    weight_g = models.PositiveIntegerField(default=0)
    volume_ml = models.PositiveIntegerField(default=0)
    parcels = models.PositiveSmallIntegerField(default=1)
    cooled = models.BooleanField(default=False)
    bulky = models.BooleanField(default=False)
    zone = models.ForeignKey("geo.Zone", null=True, blank=True, on_delete=models.SET_NULL,
                             help_text=_("Zone der Zustellung"))
    pickup_zone = models.ForeignKey("geo.Zone", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("Zone der Abholung"))
    created_at = models.DateTimeField(default=timezone.now)
    # Legs leaving the hub that the hub staff sort first: the same `group` is one drop (the
    # parcels of one delivery from several shops); the rider may collect them only once the
    # staff marked the delivery sorted (`released_at`), see logistics/hub_desk.py.
    group = models.CharField(_("Sendung im City-Depot"), max_length=60, blank=True,
                             db_index=True)
    released_at = models.DateTimeField(_("sortiert am"), null=True, blank=True)
    fallback_for = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="fallbacks",
                                     help_text=_("Ersatzfahrt nach einer gescheiterten Zustellung"))

    class Meta:
        verbose_name = _("Transportauftrag")
        verbose_name_plural = _("Transportaufträge")
        ordering = ["pickup_from", "id"]
        # The dispatch day and the insertion read a town's legs of one day (by the drop).
        indexes = [models.Index(fields=["town", "drop_from"], name="leg_town_drop_from")]
        constraints = [
            models.CheckConstraint(name="leg_pickup_window",
                                   condition=models.Q(pickup_until__gte=models.F("pickup_from"))),
            models.CheckConstraint(name="leg_drop_window",
                                   condition=models.Q(drop_until__gte=models.F("drop_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.pickup_label} → {self.drop_label}"

    def save(self, *args, **kwargs) -> None:
        """A leg of an order belongs to the order's town; set once, when it is made, so the
        status saves fetch no order."""
        if self._state.adding and self.order is not None:
            self.town_id = self.order.town_id
        super().save(*args, **kwargs)


class HubScan(models.Model):
    """One parcel scanned in at the hub: once per parcel (a second scan is refused), so the
    staff page can tell per delivery what is still missing."""

    town = town_field(related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="hub_scans")
    parcel = models.PositiveSmallIntegerField(_("Paket"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Eingang im City-Depot")
        verbose_name_plural = _("Eingänge im City-Depot")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "parcel"],
                                               name="hub_scan_once_per_parcel")]

    def __str__(self) -> str:
        return f"{self.order_id} Paket {self.parcel}"

    def save(self, *args, **kwargs) -> None:
        """A scan belongs to its order's town."""
        if self._state.adding:
            self.town_id = self.order.town_id
        super().save(*args, **kwargs)


class Vehicle(models.Model):
    town = town_field(related_name="vehicles")
    name = models.CharField(_("Name"), max_length=60)
    kind = models.CharField(_("Art"), max_length=4, choices=VehicleKind.choices)
    hub = models.ForeignKey("geo.Hub", on_delete=models.PROTECT, related_name="vehicles")
    capacity_g = models.PositiveIntegerField(_("Zuladung (g)"))
    capacity_ml = models.PositiveIntegerField(_("Ladevolumen (ml)"))
    capacity_parcels = models.PositiveSmallIntegerField(_("Pakete"))
    range_km = models.PositiveSmallIntegerField(_("Reichweite je Akkuladung (km)"))
    charge_minutes = models.PositiveSmallIntegerField(_("Ladezeit (Minuten)"), default=240)
    speed_kmh = models.FloatField(_("Tempo (km/h Luftlinie)"), default=12.0)
    cooled = models.BooleanField(_("Kühlbox"), default=False)
    bulky = models.BooleanField(_("für Sperriges"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Fahrzeug")
        verbose_name_plural = _("Fahrzeuge")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"],
                                               name="vehicle_name_per_town")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A vehicle belongs to the town of the hub it starts from."""
        self.town_id = self.hub.town_id
        super().save(*args, **kwargs)


class ShiftPattern(models.Model):
    """A weekly template ("Mo–Fr 14:00–21:00, Rad 1, Anna") from which the shifts of the
    coming weeks are made ahead (`logistics.shifts.shifts_generate`), so a day nobody
    seeded by hand still has riders to plan with. Times are wall-clock in the town's zone;
    a shift ends on the day it starts."""

    town = town_field(related_name="shift_patterns")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="shift_patterns", verbose_name=_("Fahrer/in"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT,
                                related_name="shift_patterns", verbose_name=_("Fahrzeug"))
    weekdays = models.JSONField(_("Wochentage (0 = Montag)"))
    start_time = models.TimeField(_("Beginn"))
    end_time = models.TimeField(_("Ende"))
    valid_from = models.DateField(_("gilt ab"))
    valid_until = models.DateField(_("gilt bis"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Schichtmuster")
        verbose_name_plural = _("Schichtmuster")
        ordering = ["town", "vehicle__name", "start_time"]
        constraints = [
            models.CheckConstraint(name="shift_pattern_same_day",
                                   condition=models.Q(end_time__gt=models.F("start_time"))),
        ]

    def __str__(self) -> str:
        return (f"{self.weekday_names} {self.start_time:%H:%M}–{self.end_time:%H:%M} "
                f"{self.vehicle.name}, {self.rider.get_full_name() or self.rider.username}")

    @property
    def weekday_names(self) -> str:
        """"Mo, Di, Mi": the pattern's days as the console shows them."""
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))


class ShiftExceptionKind(models.TextChoices):
    SICK = "sick", _("krank")
    HOLIDAY = "holiday", _("Urlaub / frei")
    SWAP = "swap", _("Tausch")


class ShiftException(models.Model):
    """One date on which a pattern does not make its usual shift: the rider is ill or on
    holiday (no shift), or swaps with a colleague (the colleague rides instead)."""

    pattern = models.ForeignKey(ShiftPattern, on_delete=models.CASCADE,
                                related_name="exceptions")
    day = models.DateField(_("Tag"))
    kind = models.CharField(_("Art"), max_length=8, choices=ShiftExceptionKind.choices)
    substitute = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Vertretung"))
    note = models.CharField(_("Notiz"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Ausnahme vom Schichtmuster")
        verbose_name_plural = _("Ausnahmen vom Schichtmuster")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "day"], name="one_shift_exception_per_day"),
            models.CheckConstraint(
                name="swap_has_substitute",
                condition=(models.Q(kind="swap", substitute__isnull=False)
                           | (~models.Q(kind="swap") & models.Q(substitute__isnull=True)))),
        ]

    def __str__(self) -> str:
        return f"{self.pattern}: {self.get_kind_display()} am {self.day:%d.%m.%Y}"


class Shift(models.Model):
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="shifts", limit_choices_to={"role": "rider"})
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    # The pattern that made it (blank: entered by hand); one shift per pattern and day.
    pattern = models.ForeignKey(ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="shifts")
    day = models.DateField(_("Tag"), null=True, blank=True)

    class Meta:
        verbose_name = _("Schicht")
        verbose_name_plural = _("Schichten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(name="shift_ordered",
                                   condition=models.Q(ends_at__gt=models.F("starts_at"))),
            models.UniqueConstraint(fields=["pattern", "day"], name="one_shift_per_pattern_day"),
        ]

    def __str__(self) -> str:
        return f"{self.rider} / {self.vehicle} {self.starts_at:%d.%m. %H:%M}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


ACTIVE_RUN = (RunStatus.QUEUED, RunStatus.RUNNING)


class PlanRun(models.Model):
    """One run of the planner: what was asked, how far it is, and what came out.

    At most one run per day is queued or running (a database constraint): two dispatchers
    pressing "Planen" get the same run, never two sets of drafts. A running run's
    `heartbeat_at` moves while it computes, so one whose worker died is recognised as stale.
    """

    town = town_field(related_name="plan_runs")
    day = models.DateField(_("Tag"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    time_limit_s = models.FloatField(default=5.0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True,
                               help_text=_("Kennung des Hintergrundjobs, der den Lauf rechnet"))
    heartbeat_at = models.DateTimeField(_("Lebenszeichen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Planungslauf")
        verbose_name_plural = _("Planungsläufe")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["town", "day"],
                                    condition=models.Q(status__in=ACTIVE_RUN),
                                    name="one_active_plan_run_per_town_and_day"),
        ]

    def __str__(self) -> str:
        return f"Planung {self.day:%d.%m.%Y} #{self.pk}"


class TourStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    DONE = "done", _("abgeschlossen")
    DISCARDED = "discarded", _("verworfen")


class Tour(models.Model):
    plan_run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="tours")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="tours")
    status = models.CharField(max_length=10, choices=TourStatus.choices,
                              default=TourStatus.DRAFT, db_index=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    distance_m = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the finished tour cost and did as ridden (`logistics.ridden`), written when its
    # last stop is done, so the town's report reads a few numbers instead of following every
    # route; empty while it runs (and for tours closed before these were kept: computed then).
    ridden_m = models.FloatField(_("gefahrene Meter"), null=True, blank=True)
    ridden_s = models.PositiveIntegerField(_("Sekunden unterwegs"), null=True, blank=True)
    ridden_stops = models.PositiveIntegerField(_("erledigte Stopps"), null=True, blank=True)
    ridden_service_s = models.PositiveIntegerField(_("Sekunden an den Stopps"), null=True,
                                                   blank=True)
    ridden_parcels = models.PositiveIntegerField(_("abgelieferte Pakete"), null=True,
                                                 blank=True)

    class Meta:
        verbose_name = _("Tour")
        verbose_name_plural = _("Touren")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"Tour {self.pk} ({self.shift.vehicle})"


class StopKind(models.TextChoices):
    PICKUP = "pickup", _("Abholen")
    DELIVERY = "delivery", _("Abliefern")


class StopStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    DONE = "done", _("erledigt")
    FAILED = "failed", _("fehlgeschlagen")


class TourStop(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveSmallIntegerField()
    leg = models.ForeignKey(Leg, on_delete=models.PROTECT, related_name="stops")
    kind = models.CharField(max_length=8, choices=StopKind.choices)
    planned_arrival = models.DateTimeField()
    planned_departure = models.DateTimeField()
    status = models.CharField(max_length=8, choices=StopStatus.choices,
                              default=StopStatus.PENDING)
    locked = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=20, blank=True)
    fallback = models.CharField(_("Ersatzweg"), max_length=10, blank=True)
    eta = models.DateTimeField(_("voraussichtliche Ankunft"), null=True, blank=True,
                               help_text=_("aus dem Fortschritt der Tour neu berechnet"))

    class Meta:
        verbose_name = _("Stopp")
        verbose_name_plural = _("Stopps")
        ordering = ["tour", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "sequence"], name="stop_sequence_unique"),
        ]
        # The town's report reads a period's drops by when they were done: only the period's
        # rows, however long the history.
        indexes = [models.Index(fields=["done_at"], name="stop_drop_done_at",
                                condition=models.Q(kind=StopKind.DELIVERY))]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        return self.leg.pickup_label if self.kind == StopKind.PICKUP else self.leg.drop_label

    @property
    def lat(self) -> float:
        return self.leg.pickup_lat if self.kind == StopKind.PICKUP else self.leg.drop_lat

    @property
    def lon(self) -> float:
        return self.leg.pickup_lon if self.kind == StopKind.PICKUP else self.leg.drop_lon

    @property
    def ref(self) -> str:
        return self.leg.pickup_ref if self.kind == StopKind.PICKUP else self.leg.drop_ref

    @property
    def window(self) -> tuple:
        leg = self.leg
        if self.kind == StopKind.PICKUP:
            return leg.pickup_from, leg.pickup_until
        return leg.drop_from, leg.drop_until

    @property
    def service_s(self) -> int:
        leg = self.leg
        return leg.pickup_service_s if self.kind == StopKind.PICKUP else leg.drop_service_s


class ProofMethod(models.TextChoices):
    PHOTO = "photo", _("Foto")
    SIGNATURE = "signature", _("Unterschrift")
    NAME = "name", _("Name des Empfängers")
    LOCKER_CODE = "locker_code", _("Fachcode der Paketstation")


class Proof(models.Model):
    stop = models.OneToOneField(TourStop, on_delete=models.CASCADE, related_name="proof")
    method = models.CharField(max_length=12, choices=ProofMethod.choices)
    recipient_name = models.CharField(max_length=120, blank=True)
    photo = models.FileField(upload_to=RandomName("proofs"), blank=True)
    signature_svg = models.TextField(blank=True)
    locker_code = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zustellnachweis")
        verbose_name_plural = _("Zustellnachweise")

    def __str__(self) -> str:
        return f"{self.get_method_display()} für Stopp {self.stop_id}"


class RiderPosition(models.Model):
    """Where a rider was, sent every ~30 s while on tour. Kept for the day only (privacy):
    `positions.position_record` drops earlier days."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="positions")
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="positions")
    lat = models.FloatField(validators=LAT)
    lon = models.FloatField(validators=LON)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("Position")
        verbose_name_plural = _("Positionen")
        ordering = ["rider", "at"]
        # The rider's track, and the dispatch map's positions of one day (all riders).
        indexes = [models.Index(fields=["rider", "at"]),
                   models.Index(fields=["at"], name="riderposition_at")]

    def __str__(self) -> str:
        return f"{self.rider} {self.at:%H:%M:%S} ({self.lat:.5f}, {self.lon:.5f})"


class RiderAction(models.Model):
    """One action from the rider app, stored under the phone's idempotency key so a replay
    after a lost answer returns the first outcome instead of doing the work twice."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="rider_actions")
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=12)
    stop = models.ForeignKey(TourStop, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="actions")
    error = models.CharField(max_length=12, blank=True,
                             help_text=_("Fehlerart, wenn die Aktion abgelehnt wurde"))
    result = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Fahreraktion")
        verbose_name_plural = _("Fahreraktionen")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rider", "key"], name="rider_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.error or 'ok'}"


class PublishOverride(models.Model):
    """A draft tour handed to its rider although the planning checker rejected it: who
    decided, when, why, and what the checker said (the dispatcher may know better, but on
    the record)."""

    tour = models.OneToOneField(Tour, on_delete=models.CASCADE, related_name="override")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("Begründung"))
    violations = models.JSONField(default=list)

    class Meta:
        verbose_name = _("Freigabe trotz Prüfung")
        verbose_name_plural = _("Freigaben trotz Prüfung")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Tour {self.tour_id}: {self.reason}"


class InsertionRun(models.Model):
    """The dispatcher's "Neue Aufträge einfügen" as a background job: queued by the console,
    computed by a worker (`running.insertion_run_execute`), its outcome shown on the console.

    At most one per town and day is queued or running (a database constraint), so a second
    click while one runs starts nothing: both would slot the same open legs into the tours.
    Legs it left out are kept as `InsertionFailure`s like those of the automatic insertion.
    """

    town = town_field(related_name="+")
    day = models.DateField(_("Tag"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    placed = models.PositiveIntegerField(default=0, help_text=_("eingefügte Aufträge"))
    unassigned = models.PositiveIntegerField(default=0, help_text=_("nicht eingefügte Aufträge"))
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Einfügelauf")
        verbose_name_plural = _("Einfügeläufe")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["town", "day"],
                                    condition=models.Q(status__in=ACTIVE_RUN),
                                    name="one_active_insertion_per_town_and_day"),
        ]

    def __str__(self) -> str:
        return f"Einfügen {self.day:%d.%m.%Y} #{self.pk}"


class InsertionFailure(models.Model):
    """A background insertion of new legs into the published tours that failed: the console
    shows it (with the planner's reason) while any of its legs is still open."""

    town = town_field(related_name="+")
    day = models.DateField(_("Tag"))
    legs = models.JSONField(default=list, help_text=_("Ids der Transportaufträge"))
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Fehlgeschlagenes Einfügen")
        verbose_name_plural = _("Fehlgeschlagene Einfügungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.message}"
