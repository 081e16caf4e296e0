"""Locker compartments for deliveries the customer chose to a parcel locker.

At checkout each shop's parcel gets the smallest free compartment it fits, taken under a
row lock in the checkout's transaction, so two checkouts never get the same one and a full
locker is refused before paying. The six-digit code opens it; the rider proves the drop
with it and the customer gets it with the "delivered" e-mail and on the order page. A
cancelled or declined order gives its compartment back, and so does a delivered one once
the locker reports that the customer opened it with the code (`locker_collect`).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from louise.accounts.access import require_role, visible_to
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid, NotFound, TooManyAttempts
from louise.geo.models import (
    COMPARTMENT_ML,
    FREE_COMPARTMENT,
    CompartmentSize,
    Locker,
    LockerCompartment,
    LockerCredential,
    LockerFailedOpen,
)

from .models import DeliveryMethod, EventKind, Order, OrderEvent, OrderStatus

SMALLEST_FIRST = [CompartmentSize.S, CompartmentSize.M, CompartmentSize.L]


def compartment_reserve(*, order: Order, locker: Locker | None = None) -> LockerCompartment:
    """Take a compartment of the order's locker (or of `locker`: a repaired item coming back
    to the locker the customer chose); call inside the booking's transaction."""
    sizes = [s for s in SMALLEST_FIRST if order.volume_ml <= COMPARTMENT_ML[s]]
    if order.cooled or order.bulky or not sizes:
        raise Invalid(f"Die Ware von {order.merchant} passt nicht in eine Paketstation. Bitte "
                      "wählen Sie die Haustür oder eine Abholstelle.", field="method",
                      code="locker_unfit")
    locker_id = locker.pk if locker is not None else order.locker_id
    assert locker_id is not None  # a constraint: locker delivery names its locker
    free = LockerCompartment.objects.select_for_update(skip_locked=True).filter(
        FREE_COMPARTMENT, locker_id=locker_id)
    for size in sizes:
        box = free.filter(size=size).order_by("number").first()
        if box is not None:
            box.order, box.code = order, f"{secrets.randbelow(10**6):06d}"
            box.save(update_fields=["order", "code"])
            return box
    raise Conflict(f"Die {locker or order.locker} ist für diese Lieferung leider voll. Bitte "
                   "wählen Sie "
                   "eine andere Paketstation oder eine Abholstelle.", code="locker_full")


def compartment_release(*, order: Order) -> None:
    LockerCompartment.objects.filter(order=order).update(order=None, code="")


def locker_collect(*, locker_id: int, code: str,
                   by: User | LockerCredential) -> LockerCompartment:
    """The locker (its controller, or an operator standing at it) reports that a compartment
    was opened with `code`: the customer has taken the parcel, so the compartment is free
    for the next one. Without this step lockers would only ever fill up.

    The row is locked, so a code reported twice frees the compartment once and the second
    report is refused. Every refusal reads the same, whether the code is unknown, belongs to
    another locker or to a parcel not yet delivered: the answer must not tell a guesser
    which compartments are in use. A wrong code is recorded, and after
    `LOUISE_LOCKER_MAX_FAILS` of them within `LOUISE_LOCKER_LOCKOUT_MIN` minutes the locker
    takes no code until the oldest has aged out: a million codes cannot be tried in turn.
    Returns the freed compartment (its code already wiped)."""
    with transaction.atomic():
        locker = _locker_for(locker_id, by)
        since = timezone.now() - timedelta(minutes=settings.LOUISE_LOCKER_LOCKOUT_MIN)
        if locker.failed_opens.filter(at__gte=since).count() >= settings.LOUISE_LOCKER_MAX_FAILS:
            raise TooManyAttempts(
                f"Zu viele falsche Codes an dieser Paketstation. Bitte in "
                f"{settings.LOUISE_LOCKER_LOCKOUT_MIN} Minuten erneut versuchen.", field="code")
        # Delivered *to this locker*: a parcel rerouted to a pickup point leaves its old
        # compartment empty, and that code must not count as a collection.
        # Delivered *to this locker* (bought to it, or a repaired item sent back to it): a
        # parcel rerouted to a pickup point leaves its old compartment empty, and that code
        # must not count as a collection.
        to_here = (Q(order__delivery_method=DeliveryMethod.LOCKER, order__locker=locker)
                   | Q(order__return_locker=locker))
        box = (LockerCompartment.objects.select_for_update(of=("self",)).select_related("order")
               .filter(to_here, locker=locker, code=code.strip(),
                       order__status=OrderStatus.DELIVERED)
               .exclude(code="").first())
        if box is not None:
            order = box.order
            assert order is not None  # the filter above matched on its order
            OrderEvent.objects.create(order=order, kind=EventKind.LOCKER_OPENED,
                                      from_status=order.status, to_status=order.status,
                                      by=by if isinstance(by, User) else None)
            box.order, box.code = None, ""
            box.save(update_fields=["order", "code"])
            return box
        LockerFailedOpen.objects.create(locker=locker)  # kept: the refusal below is no rollback
    raise Invalid("Dieser Code öffnet hier kein Fach.", field="code", code="locker_code")


def _locker_for(locker_id: int, by: User | LockerCredential) -> Locker:
    """The locker, locked so that tries at it are counted one after another. A controller's
    credential reaches its own locker only, an operator the lockers of their towns; any
    other reads as unknown."""
    lockers: QuerySet[Locker] = Locker.objects.select_for_update()
    if isinstance(by, LockerCredential):
        if by.locker_id != locker_id:
            raise NotFound("Diese Paketstation gibt es nicht.")
    else:
        require_role(by, Role.OPERATOR)
        lockers = visible_to(lockers, by)
    locker = lockers.filter(pk=locker_id).first()
    if locker is None:
        raise NotFound("Diese Paketstation gibt es nicht.")
    return locker
