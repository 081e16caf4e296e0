"""Customers sign up themselves: an account, a first address, and what to offer if that
address lies outside the service area."""

from dataclasses import dataclass

from django.db import transaction

from louise.accounts.models import Role, User
from louise.accounts.services import user_create
from louise.core.errors import Invalid, NotFound
from louise.geo.geocode import position_for_address
from louise.geo.models import Address, Locker, PickupPoint
from louise.geo.selectors import addresses_of, nearest_drop_points
from louise.geo.services import address_create
from louise.orders.models import Order

# One answer whether the username or the e-mail address is taken, and without saying
# which: a sign-up form must not tell strangers who has an account.
NOT_POSSIBLE = ("Mit diesen Angaben ist keine Registrierung möglich. Falls Sie schon ein "
                "Konto haben, melden Sie sich bitte an; sonst prüfen Sie Ihre Angaben.")


def customer_sign_up(*, username: str, email: str, password: str, **fields) -> User:
    """A customer account made by the customer themself; a taken name or address is answered
    with `NOT_POSSIBLE` (other refusals, e.g. a weak password, say what is wrong)."""
    try:
        return user_create(username=username, email=email, password=password,
                           role=Role.CUSTOMER, **fields)
    except Invalid as exc:
        if exc.code == "taken":
            raise Invalid(NOT_POSSIBLE, code="not_possible") from None
        raise


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
                label: str = "", notes: str = "", confirm_unknown_street: bool = False,
                ) -> tuple[Address, list[PickupPoint | Locker]]:
    """Store an address even outside the service area (the customer may still use a pickup
    point or locker near it) and say which drop points are nearest when it is outside. A
    street our directory lacks is kept once the customer confirms it, flagged for review."""
    found = position_for_address(street=street, postcode=postcode, city=city,
                                 accept_unknown_street=confirm_unknown_street)
    address = address_create(owner=owner, street=street, postcode=postcode, city=city,
                             district=found.district, lat=found.lat, lon=found.lon,
                             label=label, recipient=owner.display_name, notes=notes,
                             precision=found.precision, require_active_zone=False)
    served = address.zone is not None and address.zone.active
    return address, [] if served else nearest_drop_points(lat=found.lat, lon=found.lon)


@transaction.atomic
def customer_register(*, email: str, password: str, first_name: str, last_name: str,
                      phone: str, street: str, postcode: str, city: str = "Bottrop",
                      confirm_unknown_street: bool = False) -> Registration:
    """A new customer; the e-mail address is the login name."""
    user = customer_sign_up(username=email.strip().lower(), email=email.strip().lower(),
                            password=password, first_name=first_name.strip(),
                            last_name=last_name.strip(), phone=phone.strip())
    address, alternatives = address_add(owner=user, street=street.strip(),
                                        postcode=postcode.strip(),
                                        city=city.strip() or "Bottrop", label="Zuhause",
                                        confirm_unknown_street=confirm_unknown_street)
    return Registration(user=user, address=address, alternatives=alternatives)


@transaction.atomic
def address_remove(*, owner: User, address_id: int) -> None:
    """Take an address out of the customer's account. One that orders went to stays in the
    database for those orders (and their export) but no longer belongs to the account."""
    address = addresses_of(user=owner).filter(pk=address_id).first()
    if address is None:
        raise NotFound("Diese Adresse gibt es in Ihrem Konto nicht.")
    if Order.objects.filter(address=address).exists():
        address.owner = None
        address.save(update_fields=["owner"])
    else:
        address.delete()
