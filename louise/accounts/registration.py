"""Customers sign up themselves: an account, a first address, and what to offer if that
address lies outside the service area."""

from dataclasses import dataclass

from django.db import transaction

from louise.geo.geocode import position_for_postcode
from louise.geo.models import Address, Locker, PickupPoint
from louise.geo.selectors import nearest_drop_points
from louise.geo.services import address_create

from .models import Role, User
from .services import user_create


@dataclass(frozen=True)
class Registration:
    user: User
    address: Address
    # Outside an active zone: the closest pickup points and lockers to use instead.
    alternatives: list[PickupPoint | Locker]

    @property
    def served(self) -> bool:
        return not self.alternatives


def address_add(*, owner: User, street: str, postcode: str, city: str = "Bottrop",
                label: str = "", notes: str = "") -> tuple[Address, list[PickupPoint | Locker]]:
    """Store an address even outside the service area (the customer may still use a pickup
    point or locker near it) and say which drop points are nearest when it is outside."""
    lat, lon = position_for_postcode(postcode)
    address = address_create(owner=owner, street=street, postcode=postcode, city=city,
                             lat=lat, lon=lon, label=label, recipient=owner.display_name,
                             notes=notes, require_active_zone=False)
    served = address.zone is not None and address.zone.active
    return address, [] if served else nearest_drop_points(lat=lat, lon=lon)


@transaction.atomic
def customer_register(*, email: str, password: str, first_name: str, last_name: str,
                      phone: str, street: str, postcode: str,
                      city: str = "Bottrop") -> Registration:
    """A new customer; the e-mail address is the login name."""
    user = user_create(username=email.strip().lower(), email=email.strip().lower(),
                       password=password, role=Role.CUSTOMER, first_name=first_name.strip(),
                       last_name=last_name.strip(), phone=phone.strip())
    address, alternatives = address_add(owner=user, street=street.strip(),
                                        postcode=postcode.strip(),
                                        city=city.strip() or "Bottrop", label="Zuhause")
    return Registration(user=user, address=address, alternatives=alternatives)
