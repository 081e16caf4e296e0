"""Who plays whom in a simulated town: its customers, its shops' teams, its dispatcher and
its operator. The riders are those of the day's shifts.

Everyone acts through the services with their own account and role, so the access rules
apply as they do to people. A shop without a team account gets one (no password: nobody
signs in with it), because in real life somebody answers every shop's inbox.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from louise.accounts.models import Role, User
from louise.accounts.services import user_create
from louise.billing.models import SepaMandate
from louise.catalog.models import Merchant
from louise.core.errors import Invalid
from louise.geo.models import Address, Locker, PickupPoint, Town


@dataclass
class Cast:
    town: Town
    # Each customer with their home; only customers with a SEPA mandate can order.
    customers: list[tuple[User, Address]]
    dispatcher: User
    operator: User | None
    points: list[PickupPoint]
    lockers: list[Locker]
    _teams: dict[int, User] = field(default_factory=dict)

    def team(self, merchant: Merchant) -> User:
        """The shop's staff member who works its inbox."""
        if merchant.pk not in self._teams:
            self._teams[merchant.pk] = (
                merchant.staff.filter(role=Role.MERCHANT, is_active=True).order_by("pk").first()
                or user_create(username=f"team-{merchant.slug}"[:150], password="",
                               role=Role.MERCHANT, merchant=merchant, first_name="Team",
                               last_name=merchant.name[:150], check_password=False,
                               password_hash=make_password(None)))
        return self._teams[merchant.pk]


def _works_for(town: Town, role: str) -> User | None:
    return (User.objects.filter(role=role, is_active=True)
            .filter(Q(towns=town) | Q(all_towns=True)).order_by("all_towns", "pk").first())


def cast_for(town: Town) -> Cast:
    """The town's people; refuses a town that cannot live a day (nobody orders, nobody
    plans)."""
    with_mandate = SepaMandate.objects.filter(active=True).values("customer")
    homes = (Address.objects.filter(owner__role=Role.CUSTOMER, owner__is_active=True,
                                    owner__in=with_mandate, zone__town=town)
             .select_related("owner", "zone").order_by("owner_id", "pk"))
    customers: dict[int, tuple[User, Address]] = {}
    for home in homes:
        assert home.owner is not None  # the filter above
        customers.setdefault(home.owner.pk, (home.owner, home))
    if not customers:
        raise Invalid(f"{town.name} hat keine Kundinnen und Kunden mit Adresse im "
                      "Liefergebiet und SEPA-Mandat; die Simulation braucht welche.",
                      field="town", code="no_customers")
    dispatcher = _works_for(town, Role.DISPATCHER)
    if dispatcher is None:
        raise Invalid(f"{town.name} hat keine Disposition; ohne sie plant niemand.",
                      field="town", code="no_dispatcher")
    return Cast(town=town, customers=list(customers.values()), dispatcher=dispatcher,
                operator=_works_for(town, Role.OPERATOR),
                points=list(PickupPoint.objects.filter(town=town, active=True).order_by("pk")),
                lockers=list(Locker.objects.filter(town=town, active=True).order_by("pk")))
