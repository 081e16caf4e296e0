"""A town's own people — riders, dispatchers, hotline agents and operators — as its operator
manages them: invited by link for the town (the one mechanism of `accounts.invitations`),
blocked and unblocked, taken off a town.

It lives in logistics because a rider's shifts do: a rider who stops riding (blocked, or no
longer working for a town) keeps no shift nobody would ride. Coming shifts without a tour
are deleted; those that already carry a tour are reported, for the dispatcher to hand the
tour to a colleague. Every change is audited in the same transaction.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from louise.accounts.access import require_role, town_ids
from louise.accounts.audit import audit_record, snapshot
from louise.accounts.invitations import Invitation, Newcomer, invitation_kind, invitation_send
from louise.accounts.models import ApiToken, Role, User
from louise.accounts.selectors import team_member
from louise.accounts.services import user_create
from louise.core.errors import Invalid
from louise.geo.models import Town
from louise.geo.selectors import town_for

from .models import Shift

# Who a town's operator invites by link (operators are made by the region's operator).
INVITED_ROLES = (Role.RIDER, Role.DISPATCHER, Role.HOTLINE, Role.HUB)


def _town_accept(invitation: Invitation, person: Newcomer) -> User:
    role = invitation.kind
    town = Town.objects.filter(pk=invitation.target, active=True).first()
    if town is None:
        raise Invalid("LOUISE ist in dieser Stadt nicht mehr unterwegs.", code="bad_token")
    return user_create(username=person.username, password=person.password, role=role,
                       email=invitation.email, first_name=person.first_name,
                       last_name=person.last_name, town_ids=[town.pk])


def _town_describe(invitation: Invitation) -> str:
    town = Town.objects.filter(pk=invitation.target).first()
    return f"{Role(invitation.kind).label} in {town.name if town else 'einer Stadt'}"


for _role in INVITED_ROLES:
    invitation_kind(_role, accept=_town_accept, describe=_town_describe)


@transaction.atomic
def team_invitation_create(*, by: User, town: Town, role: str, email: str,
                           base_url: str) -> str:
    """The operator invites a rider, dispatcher or hotline agent into one of their towns;
    the link is mailed after the commit and returned, to send it by messenger too."""
    town = town_for(by, town.slug, roles=(Role.OPERATOR,))
    if role not in INVITED_ROLES:
        raise Invalid("Einladen lassen sich Fahrer/innen, Disposition, Hotline und das Team "
                      "des City-Depots.",
                      field="role")
    sent = invitation_send(kind=role, email=email, by=by, target=town.pk, base_url=base_url,
                           subject=f"Einladung zu LOUISE {town.name}",
                           what=f"bei LOUISE in {town.name} als {Role(role).label} "
                                "mitzuarbeiten.")
    audit_record(by=by, action="eingeladen", obj=town, note=f"{Role(role).label}: {sent.email}")
    return sent.link


@dataclass(frozen=True)
class ShiftsEnded:
    """What taking a rider off the road did to their coming shifts."""

    person: User
    deleted: int
    to_reassign: list[Shift]


def coming_shifts(person: User, town: Town | None = None) -> QuerySet[Shift]:
    """A rider's shifts that have not started yet (in one town, or in all)."""
    shifts = Shift.objects.filter(rider=person, starts_at__gt=timezone.now())
    if town is not None:
        shifts = shifts.filter(vehicle__town=town)
    return shifts.select_related("vehicle").order_by("starts_at")


def shifts_to_reassign(*, by: User, town: Town) -> QuerySet[Shift]:
    """The town's coming shifts that carry a tour but whose rider no longer rides there
    (blocked, or off the town's team): the dispatcher must hand the tour to someone else."""
    town = town_for(by, town.slug, roles=(Role.OPERATOR,))
    return (Shift.objects.filter(vehicle__town=town, starts_at__gt=timezone.now(),
                                 tours__isnull=False)
            .filter(Q(rider__is_active=False) | ~Q(rider__towns=town))
            .select_related("rider", "vehicle").distinct().order_by("starts_at"))


def _shifts_end(by: User, person: User, town: Town | None = None) -> ShiftsEnded:
    coming = coming_shifts(person, town)
    to_reassign = list(coming.filter(tours__isnull=False).distinct())
    free = list(coming.exclude(pk__in=[s.pk for s in to_reassign]))
    for shift in free:
        audit_record(by=by, action="gelöscht", obj=shift, town_id=shift.vehicle.town_id,
                     note=f"{person.display_name} fährt nicht mehr")
        shift.delete()
    return ShiftsEnded(person, len(free), to_reassign)


def _member(by: User, person_id: int) -> User:
    person = team_member(user=by, person_id=person_id)
    if person.pk == by.pk:
        raise Invalid("Das können Sie nicht für sich selbst tun.")
    return person


def _audit_town(by: User, person: User) -> int | None:
    """The town a change of a person is filed under: one both work for."""
    ours = town_ids(by)
    theirs = list(person.towns.values_list("pk", flat=True))
    shared = [pk for pk in theirs if ours is None or pk in ours]
    return shared[0] if shared else None


@transaction.atomic
def person_active_set(*, by: User, person_id: int, active: bool) -> ShiftsEnded:
    """Block a member of the team (no sign-in, no API token, no coming shifts without a
    tour) or let them back in."""
    require_role(by, Role.OPERATOR)
    person = _member(by, person_id)
    before = snapshot(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit_record(by=by, action="freigegeben" if active else "gesperrt", obj=person,
                 before=before, town_id=_audit_town(by, person))
    if active:
        return ShiftsEnded(person, 0, [])
    ApiToken.objects.filter(user=person).delete()
    return _shifts_end(by, person)


@transaction.atomic
def person_town_remove(*, by: User, person_id: int, town: Town) -> ShiftsEnded:
    """Take a member off one town's team (their account stays; other towns keep them); a
    rider's coming shifts in that town end."""
    town = town_for(by, town.slug, roles=(Role.OPERATOR,))
    person = _member(by, person_id)
    if not person.towns.filter(pk=town.pk).exists():
        raise Invalid(f"{person.display_name} gehört nicht zum Team von {town.name}.")
    town.staff.remove(person)
    audit_record(by=by, action="aus Team entfernt", obj=person, town_id=town.pk,
                 note=town.name)
    return _shifts_end(by, person, town)
