"""Writes of the operator's console for towns: a town's settings, a new town of the region,
and who works for which town. Each change is audited in its own transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from louise.accounts.access import require_role, town_ids
from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import Role, User
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.core.german import slug as german_slug
from louise.core.validation import save_validated

from .models import Town
from .selectors import TEAM_ROLES, towns_of

# What a town's operator sets in the console (everything but identity and team).
TOWN_SETTINGS = frozenset({
    "name", "holiday_region", "order_cutoff", "wave_start", "wave_end", "working_days",
    "slot_capacity", "bookable_waves", "fallback_order", "map_tiles", "map_attribution",
    "vehicle_costs", "report_costs",
    "hub_collection_start", "hub_sorting_deadline", "shopping_tolerance_pct",
    "stop_pickup_s", "stop_drop_s", "stop_shared_s", "stop_hub_s", "stop_shopping_s",
    "stop_depot_s",
})


def require_region(user: User) -> None:
    """Only the region's operator (who works for every town) founds towns and forms teams."""
    require_role(user, Role.OPERATOR)
    if town_ids(user) is not None:
        raise Forbidden("Das darf nur der Betrieb der Region (alle Städte).")


def town_managed(*, by: User, pk: int) -> Town:
    """The town, locked for the change, if `by` operates it; any other is unknown."""
    require_role(by, Role.OPERATOR)
    town = towns_of(by).select_for_update().filter(pk=pk).first()
    if town is None:
        raise NotFound("Diese Stadt gibt es nicht.")
    return town


@transaction.atomic
def town_update(*, by: User, town_id: int, **settings: Any) -> Town:
    """Change a town's settings (see `TOWN_SETTINGS`); `Town.clean` decides what is valid,
    and a refused change stores nothing."""
    if unknown := set(settings) - TOWN_SETTINGS:
        raise Invalid(f"Unbekannte Einstellung: {', '.join(sorted(unknown))}.")
    town = town_managed(by=by, pk=town_id)
    before = snapshot(town)
    for name, value in settings.items():
        setattr(town, name, value)
    save_validated(town)
    audit_record(by=by, action="geändert", obj=town, before=before, town_id=town.pk)
    return town


@transaction.atomic
def town_create(*, by: User, name: str) -> Town:
    """A new town of the region, starting from the `LOUISE_*` defaults; its operator sets
    the rest in its console."""
    require_region(by)
    name = " ".join(name.split())
    if not name:
        raise Invalid("Bitte einen Namen für die Stadt angeben.", field="name")
    slug = german_slug(name)
    if Town.objects.filter(slug=slug).exists() or Town.objects.filter(name__iexact=name).exists():
        raise Invalid(f"Die Stadt „{name}“ gibt es schon.", field="name")
    town = save_validated(Town.from_settings(name=name, slug=slug))
    audit_record(by=by, action="angelegt", obj=town, town_id=town.pk)
    return town


@transaction.atomic
def town_staff_add(*, by: User, town_id: int, user_ids: Iterable[int]) -> list[User]:
    """Put people who already work for LOUISE on another town's team too: dispatchers,
    operators, hotline and riders (customers and shop staff never belong to a town's team).
    Taking someone off a town is `logistics.team.person_town_remove`, which also ends their
    coming shifts there. Returns the people added (those already on the team are skipped)."""
    require_region(by)
    town = town_managed(by=by, pk=town_id)
    wanted = set(user_ids)
    people = list(User.objects.filter(pk__in=wanted).order_by("username"))
    if missing := wanted - {u.pk for u in people}:
        raise Invalid(f"Diese Person gibt es nicht (Nr. {min(missing)}).", field="staff")
    if wrong := [u for u in people if u.role not in TEAM_ROLES]:
        raise Invalid(f"{wrong[0].display_name} ({wrong[0].get_role_display()}) kann nicht zum "
                      "Team einer Stadt gehören.", field="staff")
    current = set(town.staff.values_list("pk", flat=True))
    added = [u for u in people if u.pk not in current]
    if added:
        town.staff.add(*added)
        audit_record(by=by, action="Team ergänzt", obj=town, town_id=town.pk,
                     note="hinzu: " + ", ".join(u.username for u in added))
    return added
