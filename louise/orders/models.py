"""Orders: what a customer bought or booked at one shop, and how it reaches them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.images import RandomName


class OrderKind(models.TextChoices):
    GOODS = "goods", _("Ware")
    SERVICE = "service", _("Dienstleistung")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("bestellt")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    ITEM_PICKED_UP = "item_picked_up", _("bei Ihnen abgeholt")
    IN_SERVICE = "in_service", _("in Bearbeitung")
    READY = "ready", _("versandbereit")
    COLLECTED = "collected", _("abgeholt")
    AT_HUB = "at_hub", _("in der City-Station")
    OUT_FOR_DELIVERY = "out_for_delivery", _("unterwegs")
    DELIVERED = "delivered", _("zugestellt")
    FAILED = "failed", _("Zustellung fehlgeschlagen")
    CANCELLED = "cancelled", _("storniert")


class DeliveryMethod(models.TextChoices):
    DOOR = "door", _("an die Haustür")
    POINT = "point", _("an eine Abholstelle")
    LOCKER = "locker", _("an eine Paketstation")


class QuoteStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Zustimmung")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")


class Order(models.Model):
    number = models.CharField(_("Bestellnummer"), max_length=20, unique=True)
    kind = models.CharField(_("Art"), max_length=10, choices=OrderKind.choices,
                            default=OrderKind.GOODS)
    status = models.CharField(_("Status"), max_length=20, choices=OrderStatus.choices,
                              default=OrderStatus.PLACED, db_index=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="orders")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT,
                                 related_name="orders")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  help_text=_("Hotline oder Geschäft, wenn nicht selbst bestellt"))
    recipient_name = models.CharField(_("Empfänger"), max_length=120)
    recipient_phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    delivery_method = models.CharField(_("Zustellung"), max_length=10,
                                       choices=DeliveryMethod.choices)
    address = models.ForeignKey("geo.Address", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    pickup_point = models.ForeignKey("geo.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="orders")
    locker = models.ForeignKey("geo.Locker", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="orders")
    wave_start = models.DateTimeField(_("Lieferwelle ab"))
    wave_end = models.DateTimeField(_("Lieferwelle bis"))
    placed_at = models.DateTimeField(_("bestellt am"), default=timezone.now)
    subtotal_cents = models.PositiveIntegerField(_("Warenwert (Cent)"), default=0)
    fee_cents = models.PositiveIntegerField(_("Liefergebühr (Cent)"), default=0)
    parcels = models.PositiveSmallIntegerField(_("Pakete"), default=1)
    weight_g = models.PositiveIntegerField(_("Gewicht (g)"), default=0)
    volume_ml = models.PositiveIntegerField(_("Volumen (ml)"), default=0)
    cooled = models.BooleanField(_("gekühlt"), default=False)
    bulky = models.BooleanField(_("sperrig"), default=False)
    mandate = models.ForeignKey("billing.SepaMandate", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="orders")
    checkout = models.ForeignKey("orders.Checkout", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="orders")
    idempotency_key = models.CharField(max_length=64, blank=True)
    notes = models.CharField(_("Hinweise"), max_length=300, blank=True)
    item_description = models.TextField(_("Beschreibung des Gegenstands"), blank=True)
    item_photo = models.ImageField(_("Foto des Gegenstands"), upload_to=RandomName("items"),
                                   blank=True)
    # A service's way back, as the customer chose it (else: the first wave once it is done,
    # to the door it was fetched from).
    return_wave_start = models.DateTimeField(_("Rückgabe ab"), null=True, blank=True)
    return_locker = models.ForeignKey("geo.Locker", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("Rückgabe in Paketstation"))
    decline_reason = models.CharField(_("Ablehnungsgrund"), max_length=200, blank=True)
    quote_cents = models.PositiveIntegerField(_("Kostenvoranschlag (Cent)"), null=True,
                                              blank=True)
    quote_status = models.CharField(_("Kostenvoranschlag"), max_length=10, blank=True,
                                    choices=QuoteStatus.choices)

    class Meta:
        verbose_name = _("Bestellung")
        verbose_name_plural = _("Bestellungen")
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"], name="order_idempotency",
                condition=~models.Q(idempotency_key=""),
            ),
            models.CheckConstraint(
                name="order_destination_matches_method",
                condition=(
                    models.Q(delivery_method="door", address__isnull=False)
                    | models.Q(delivery_method="point", pickup_point__isnull=False)
                    | models.Q(delivery_method="locker", locker__isnull=False)
                ),
            ),
            models.CheckConstraint(name="order_wave_ordered",
                                   condition=models.Q(wave_end__gt=models.F("wave_start"))),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.fee_cents

    @property
    def destination(self):
        return {"door": self.address, "point": self.pickup_point,
                "locker": self.locker}[self.delivery_method]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey("catalog.ServiceOffer", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("Artikel"), max_length=120)
    quantity = models.PositiveIntegerField(_("Menge"))
    unit_price_cents = models.PositiveIntegerField(_("Einzelpreis (Cent)"))
    vat_rate = models.PositiveSmallIntegerField(_("MwSt."))

    class Meta:
        verbose_name = _("Position")
        verbose_name_plural = _("Positionen")
        constraints = [
            models.CheckConstraint(name="line_quantity_positive",
                                   condition=models.Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


class OrderEvent(models.Model):
    """The audit trail: every status change, written in the same transaction as the change."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]  # causal order; `at` may come from a client clock

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class Slot(models.Model):
    """A bookable delivery wave with a limited number of stops (door, point or locker drops
    and service pickups). `booked` only changes with a conditional `UPDATE … WHERE booked <
    capacity` inside the booking transaction, so a full slot cannot be overbooked."""

    start = models.DateTimeField(_("Beginn"), unique=True)
    end = models.DateTimeField(_("Ende"))
    capacity = models.PositiveIntegerField(_("Kapazität (Stopps)"))
    booked = models.PositiveIntegerField(_("gebucht"), default=0)

    class Meta:
        verbose_name = _("Zeitfenster")
        verbose_name_plural = _("Zeitfenster")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(name="slot_not_overbooked",
                                   condition=models.Q(booked__lte=models.F("capacity"))),
            models.CheckConstraint(name="slot_ordered",
                                   condition=models.Q(end__gt=models.F("start"))),
        ]

    def __str__(self) -> str:
        return f"{self.start:%d.%m.%Y %H:%M} ({self.booked}/{self.capacity})"


class Checkout(models.Model):
    """One basket paid at once: one order per shop, all sharing one delivery (destination,
    slot, fee), so the planner can consolidate them at the hub into one drop."""

    reference = models.CharField(_("Einkaufsnummer"), max_length=20, unique=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="checkouts")
    idempotency_key = models.CharField(max_length=64)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="checkouts")
    fee_cents = models.PositiveIntegerField(_("Liefergebühr (Cent)"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Einkauf")
        verbose_name_plural = _("Einkäufe")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "idempotency_key"],
                                    name="checkout_idempotency"),
        ]

    def __str__(self) -> str:
        return self.reference
