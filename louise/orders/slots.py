"""Capacity-limited delivery slots: one per wave, a fixed number of stops each.

Slots belong to a town: its waves, its bookable horizon and its capacity (the operator's
town settings; a single slot's capacity can be changed in the admin). A booking takes one
stop with a conditional `UPDATE … SET booked = booked + 1 WHERE booked < capacity` inside
the caller's transaction, so two customers racing for the last stop cannot both get it
(the row lock serialises them on PostgreSQL, the database lock on SQLite). The lock lasts
until the commit, so a checkout takes its stop last (`slot_row` first, `slot_take` just
before the commit): concurrent checkouts of one wave then wait for each other only that
long.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from louise.core.calendar import Wave, waves_from
from louise.core.errors import Conflict, Invalid
from louise.geo.models import Town

from .lockers import compartment_release
from .models import CALLED_OFF, Order, Slot


@dataclass(frozen=True)
class SlotChoice:
    wave: Wave
    free: int

    @property
    def full(self) -> bool:
        return self.free <= 0

    @property
    def value(self) -> str:
        """The form value naming this slot: its start as an ISO timestamp."""
        return self.wave.start.isoformat()


def town_waves(town: Town, now: datetime, count: int | None = None) -> list[Wave]:
    """The town's next bookable waves."""
    return waves_from(now, count or town.bookable_waves, town.schedule)


def slot_choices(*, town: Town, now: datetime, count: int | None = None) -> list[SlotChoice]:
    """The town's next bookable waves with their free stops, for the slot pickers."""
    waves = town_waves(town, now, count)
    slots = {s.start: s for s in Slot.objects.filter(town=town,
                                                      start__in=[w.start for w in waves])}
    default = town.slot_capacity
    return [SlotChoice(wave=w, free=(slots[w.start].capacity - slots[w.start].booked)
                       if w.start in slots else default) for w in waves]


def wave_bookable(*, town: Town, start: str | None, now: datetime,
                  count: int | None = None) -> Wave:
    """The wave a customer picked (its start, ISO 8601), if it is still bookable now: the
    cut-off may have passed since the page was shown. None picks the first bookable wave.
    `count` looks further ahead than the town's bookable waves (standing orders)."""
    waves = town_waves(town, now, count)
    if start is None:
        return waves[0]
    try:
        wanted = datetime.fromisoformat(start)
    except ValueError:
        wanted = None
    for wave in waves:
        if wanted is not None and wanted.tzinfo is not None and wave.start == wanted:
            return wave
    raise Invalid("Dieses Zeitfenster ist nicht mehr buchbar. Bitte wählen Sie ein anderes.",
                  field="slot", code="slot_gone")


def bookable_wave_start(*, town: Town, index: int, now: datetime) -> str:
    """The start of the `index`-th bookable wave (0: the first), for callers that count
    waves instead of naming one."""
    waves = town_waves(town, now)
    if not 0 <= index < len(waves):
        raise Invalid(f"Buchbar sind nur die nächsten {len(waves)} Lieferwellen.",
                      field="wave_index", code="slot_gone")
    return waves[index].start.isoformat()


def slot_row(*, town: Town, wave: Wave) -> Slot:
    """The wave's slot row, made on its first booking. Not locked: nothing is taken yet."""
    slot = Slot.objects.filter(town=town, start=wave.start).first()
    if slot is None:
        Slot.objects.bulk_create(
            [Slot(town=town, start=wave.start, end=wave.end, capacity=town.slot_capacity)],
            ignore_conflicts=True)
        slot = Slot.objects.get(town=town, start=wave.start)
    return slot


def slot_take(slot: Slot, *, wave: Wave, hint: str = "") -> None:
    """Take one stop of the slot; call inside the booking's transaction, as late as it can
    be: the row stays locked until the commit, and every other booking of the wave waits
    for it. A full slot is refused with `hint` (what to do instead), or else the advice to
    choose another."""
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1):
        raise Conflict(f"Das Zeitfenster {wave.label} ist leider ausgebucht. "
                       f"{hint or 'Bitte wählen Sie ein anderes.'}", code="slot_full")


def slot_reserve(*, town: Town, wave: Wave) -> Slot:
    """Take one stop in the wave's slot at once (`slot_row`, then `slot_take`)."""
    slot = slot_row(town=town, wave=wave)
    slot_take(slot, wave=wave)
    return slot


def slot_release(*, town: Town, start: datetime) -> None:
    """Give a stop back (cancelled or moved); never below zero."""
    Slot.objects.filter(town=town, start=start, booked__gt=0).update(booked=F("booked") - 1)


def slot_release_for(order: Order) -> None:
    """An order ended (cancelled, declined): its locker compartment is free again, and its
    checkout's stop is given back once no other order of the same delivery is still live."""
    compartment_release(order=order)
    if order.checkout is None:
        return
    if not (Order.objects.filter(checkout=order.checkout).exclude(status__in=CALLED_OFF)
            .exists()):
        slot_release(town=order.town, start=order.checkout.slot.start)
