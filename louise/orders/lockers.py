"""Locker compartments for deliveries the customer chose to a parcel locker.

At checkout each shop's parcel gets the smallest free compartment it fits, taken under a
row lock in the checkout's transaction, so two checkouts never get the same one and a full
locker is refused before paying. The six-digit code opens it; the rider proves the drop
with it and the customer gets it with the "delivered" e-mail and on the order page. A
cancelled or declined order gives its compartment back.
"""

import secrets

from louise.core.errors import Conflict, Invalid
from louise.geo.models import CompartmentSize, LockerCompartment
from louise.logistics.fallback import COMPARTMENT_ML

from .models import Order

SMALLEST_FIRST = [CompartmentSize.S, CompartmentSize.M, CompartmentSize.L]


def compartment_reserve(*, order: Order) -> LockerCompartment:
    """Take a compartment of the order's locker; call inside the checkout's transaction."""
    sizes = [s for s in SMALLEST_FIRST if order.volume_ml <= COMPARTMENT_ML[s]]
    if order.cooled or order.bulky or not sizes:
        raise Invalid(f"Die Ware von {order.merchant} passt nicht in eine Paketstation. Bitte "
                      "wählen Sie die Haustür oder eine Abholstelle.", field="method",
                      code="locker_unfit")
    free = LockerCompartment.objects.select_for_update(skip_locked=True).filter(
        locker_id=order.locker_id, order=None)
    for size in sizes:
        box = free.filter(size=size).order_by("number").first()
        if box is not None:
            box.order, box.code = order, f"{secrets.randbelow(10**6):06d}"
            box.save(update_fields=["order", "code"])
            return box
    raise Conflict(f"Die {order.locker} ist für diese Lieferung leider voll. Bitte wählen Sie "
                   "eine andere Paketstation oder eine Abholstelle.", code="locker_full")


def compartment_release(*, order: Order) -> None:
    LockerCompartment.objects.filter(order=order).update(order=None, code="")
