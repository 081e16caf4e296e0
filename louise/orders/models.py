"""Orders: what a customer bought or booked at one shop, and how it reaches them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.images import RandomName
from louise.geo.models import town_field


class OrderKind(models.TextChoices):
    GOODS = "goods", _("Ware")
    SERVICE = "service", _("Dienstleistung")
    SHOPPING = "shopping", _("Einkaufszettel")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("bestellt")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    ITEM_PICKED_UP = "item_picked_up", _("bei Ihnen abgeholt")
    IN_SERVICE = "in_service", _("in Bearbeitung")
    READY = "ready", _("versandbereit")
    COLLECTED = "collected", _("abgeholt")
    AT_HUB = "at_hub", _("im City-Depot")  # scanned in at the hub (logistics/hub_desk.py)
    OUT_FOR_DELIVERY = "out_for_delivery", _("unterwegs")
    DELIVERED = "delivered", _("zugestellt")
    FAILED = "failed", _("Zustellung fehlgeschlagen")
    CANCELLED = "cancelled", _("storniert")


# Groups of statuses, each named for the one question it answers. Code asks these rather than
# listing statuses itself, so a new status is sorted into every rule in this one place.
_S = OrderStatus

# It will never be delivered: the shop declined it or the customer cancelled it.
CALLED_OFF = frozenset({_S.DECLINED, _S.CANCELLED})
# Nothing more will happen to it: no live page, listed among the past orders.
FINISHED = CALLED_OFF | {_S.DELIVERED}
# Nothing has been collected yet (goods still at the shop, a service's item still with the
# customer), so the customer may still cancel or move the delivery.
BEFORE_FIRST_PICKUP: dict[str, frozenset[str]] = {
    OrderKind.GOODS: frozenset({_S.PLACED, _S.ACCEPTED, _S.READY}),
    OrderKind.SERVICE: frozenset({_S.PLACED, _S.ACCEPTED}),
    OrderKind.SHOPPING: frozenset({_S.PLACED, _S.ACCEPTED})}
# The shop has not yet handed the goods or the finished item to a rider: the shop's inbox
# shows it, and a service's return trip can still be chosen.
BEFORE_SHOP_HANDOVER = frozenset({_S.PLACED, _S.ACCEPTED, _S.ITEM_PICKED_UP, _S.IN_SERVICE,
                                  _S.READY})
# The shop is packing it or has packed it: its parcel labels can be printed.
LABEL_PRINTABLE = frozenset({_S.ACCEPTED, _S.IN_SERVICE, _S.READY})
# Not a sale (yet): the shop has not accepted it, or it was called off; turnover skips it.
NO_SALE = CALLED_OFF | {_S.PLACED}


class DeliveryMethod(models.TextChoices):
    DOOR = "door", _("an die Haustür")
    POINT = "point", _("an eine Abholstelle")
    LOCKER = "locker", _("an eine Paketstation")


class Channel(models.TextChoices):
    """Where a checkout came in; every channel goes through `louise.orders.checkout`."""

    WEB = "web", _("Web-Shop")
    API = "api", _("API")
    COUNTER = "counter", _("Ladentheke")
    HOTLINE = "hotline", _("Hotline")
    DEMO = "demo", _("Demo")
    STANDING = "standing", _("Dauerauftrag")


class QuoteStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Zustimmung")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")


class Order(models.Model):
    number = models.CharField(_("Bestellnummer"), max_length=20, unique=True)
    town = town_field(related_name="orders")
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
    # The fee schedules in force when it was placed: a later schedule never changes the past.
    customer_fees = models.ForeignKey("billing.CustomerFees", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    merchant_fees = models.ForeignKey("billing.MerchantFees", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    checkout = models.ForeignKey("orders.Checkout", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="orders")
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
        # A customer's orders and a shop's inbox, newest first, without sorting them all; a
        # town's orders of a period, for its report.
        indexes = [models.Index(fields=["customer", "-placed_at"], name="order_customer_placed"),
                   models.Index(fields=["merchant", "-placed_at"], name="order_merchant_placed"),
                   models.Index(fields=["town", "placed_at"], name="order_town_placed")]
        constraints = [
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

    def save(self, *args, **kwargs) -> None:
        """An order belongs to the town of its shop (whose fleet carries it); set once, when
        it is made (its shop never changes), so the many status saves fetch no shop."""
        if self._state.adding:
            self.town_id = self.merchant.town_id
        super().save(*args, **kwargs)

    @property
    def total_cents(self) -> int:
        """What the customer pays for this order: the goods and the delivery fee it carries."""
        return self.subtotal_cents + self.fee_cents

    @property
    def price_open(self) -> bool:
        """A service priced after inspection whose quote is not accepted yet: its 0 € is
        no price, and must not be shown as one."""
        return (self.kind == OrderKind.SERVICE and self.subtotal_cents == 0
                and self.quote_status != QuoteStatus.ACCEPTED)

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


class EventKind(models.TextChoices):
    """What happened to an order; the event's `note` only adds the detail (a reason, a wave)."""

    PLACED = "placed", _("bestellt")
    BOOKED = "booked", _("gebucht")
    COUNTER = "counter", _("im Geschäft aufgegeben")
    STATUS = "status", _("Statuswechsel")
    FALLBACK = "fallback", _("Ersatzweg")
    RESCHEDULED = "rescheduled", _("umgeplant")
    RETURN_CHOSEN = "return_chosen", _("Rückgabe gewählt")
    INSPECTED = "inspected", _("Befund")
    QUOTE_SENT = "quote_sent", _("Kostenvoranschlag")
    QUOTE_ACCEPTED = "quote_accepted", _("Kostenvoranschlag angenommen")
    QUOTE_DECLINED = "quote_declined", _("Kostenvoranschlag abgelehnt")
    LOCKER_OPENED = "locker_opened", _("aus der Paketstation abgeholt")
    AT_HUB = "at_hub", _("im City-Depot")  # an item that is not on the goods' way (a repair)
    ROUTED = "routed", _("Weg festgelegt")  # the dispatcher chose hub or direct
    PURCHASED = "purchased", _("eingekauft")  # a shopping list, with its receipt total
    PURCHASE_CONFIRMED = "purchase_ok", _("Einkauf über Budget bestätigt")
    PURCHASE_DECLINED = "purchase_no", _("Einkauf über Budget abgelehnt")
    # the depot held an incomplete delivery back for the next wave (logistics/hub_desk.py)
    HELD = "held", _("im City-Depot zurückgestellt")


class OrderEvent(models.Model):
    """The audit trail: every status change, written in the same transaction as the change,
    and every other happening (a new wave, a quote, a fallback), typed by `kind`."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]  # causal order; `at` may come from a client clock

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind} {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        """What happened, in words: a plain status change is named by its new status."""
        if self.kind == EventKind.STATUS:
            return self.get_to_status_display()
        return self.get_kind_display()

    @property
    def text(self) -> str:
        """The label with the note's detail, as the timelines show it."""
        return f"{self.label}: {self.note}" if self.note else self.label


class Slot(models.Model):
    """A bookable delivery wave with a limited number of stops (door, point or locker drops
    and service pickups). `booked` only changes with a conditional `UPDATE … WHERE booked <
    capacity` inside the booking transaction, so a full slot cannot be overbooked."""

    town = town_field(related_name="slots")
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    capacity = models.PositiveIntegerField(_("Kapazität (Stopps)"))
    booked = models.PositiveIntegerField(_("gebucht"), default=0)

    class Meta:
        verbose_name = _("Zeitfenster")
        verbose_name_plural = _("Zeitfenster")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["town", "start"], name="slot_per_town_and_start"),
            models.CheckConstraint(name="slot_not_overbooked",
                                   condition=models.Q(booked__lte=models.F("capacity"))),
            models.CheckConstraint(name="slot_ordered",
                                   condition=models.Q(end__gt=models.F("start"))),
        ]

    def __str__(self) -> str:
        return f"{self.start:%d.%m.%Y %H:%M} ({self.booked}/{self.capacity})"


class Checkout(models.Model):
    """One basket paid at once: one order per shop, all sharing one delivery (destination,
    slot, fee), so the planner can consolidate them at the hub into one drop. A retry with
    the same key answers with this checkout: the key belongs to the customer, or, for a
    delivery without one (the shop's counter), to the person who placed it."""

    reference = models.CharField(_("Einkaufsnummer"), max_length=20, unique=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="checkouts")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  help_text=_("Hotline oder Geschäft, wenn nicht selbst bestellt"))
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices,
                               default=Channel.WEB)
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
            models.UniqueConstraint(fields=["placed_by", "idempotency_key"],
                                    condition=models.Q(customer__isnull=True),
                                    name="checkout_idempotency_without_customer"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total_cents(self) -> int:
        """What the whole basket costs: every order's total (one of them carries the fee)."""
        return sum(order.total_cents for order in self.orders.all())


class Approval(models.TextChoices):
    """A bought list dearer than its budget allows waits for the customer's answer."""

    PENDING = "pending", _("wartet auf Bestätigung")
    CONFIRMED = "confirmed", _("bestätigt")
    DECLINED = "declined", _("abgelehnt")


class ShoppingList(models.Model):
    """What a customer asked a shopper to buy in a store with "Einkaufsservice", and what
    the shopper bought: the receipt's total (the price, settled afterwards) and its photo.
    `items` are the list's lines, each with its state (`""` open, `bought`, `missing`)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="shopping")
    items = models.JSONField(_("Einkaufszettel"), default=list)
    budget_cents = models.PositiveIntegerField(_("Budget (Cent)"))
    substitutions = models.CharField(_("Ersatzwünsche"), max_length=500, blank=True)
    receipt_total_cents = models.PositiveIntegerField(_("Summe laut Kassenbon (Cent)"),
                                                      null=True, blank=True)
    receipt_photo = models.ImageField(_("Foto des Kassenbons"), upload_to=RandomName("receipts"),
                                      blank=True)
    purchased_at = models.DateTimeField(_("eingekauft am"), null=True, blank=True)
    purchased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    approval = models.CharField(_("Bestätigung"), max_length=10, blank=True,
                                choices=Approval.choices)

    class Meta:
        verbose_name = _("Einkaufszettel")
        verbose_name_plural = _("Einkaufszettel")

    def __str__(self) -> str:
        return f"{self.order_id}: {len(self.items)} Posten"
