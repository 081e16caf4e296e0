"""Reads for people: tokens, a town's team, the audit trail."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from louise.core.errors import NotFound

from .access import ALL, DISPATCH, TEAM, require_role, scope_rule, town_ids, visible_to
from .models import ApiToken, AuditEntry, Role, User


def user_for_token(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return token.user if token else None


def _team_of_operator(user: User) -> Q:
    """A town's operator manages its riders, dispatchers, hotline and operators; the
    region's operators and superusers only the region's operator does."""
    if town_ids(user) is None:
        return Q(role__in=TEAM)
    return Q(role__in=TEAM, all_towns=False, is_superuser=False)


# The trail of a town's consoles: its operator and dispatchers read it.
scope_rule(AuditEntry, dict.fromkeys(DISPATCH, ALL), town="town")
# LOUISE's own people, by the towns they work for (`Town.staff`).
scope_rule(User, {Role.OPERATOR: _team_of_operator}, town="towns")


def team_of(*, user: User, town_id: int | None) -> QuerySet[User]:
    """A town's team (the whole region's with `None`), blocked people included."""
    require_role(user, Role.OPERATOR)
    people = visible_to(User, user)
    if town_id is not None:
        people = people.filter(towns=town_id)
    return (User.objects.filter(pk__in=people.values("pk")).prefetch_related("towns")
            .order_by("role", "last_name", "first_name", "username"))


def team_member(*, user: User, person_id: int) -> User:
    """One of the operator's team; anyone else is unknown to them."""
    person = team_of(user=user, town_id=None).filter(pk=person_id).first()
    if person is None:
        raise NotFound("Diese Person gehört nicht zu Ihrem Team.")
    return person


def audit_trail(*, user: User, town_id: int, model: str = "",
                by_id: int | None = None) -> QuerySet[AuditEntry]:
    """A town's audit trail, newest first, narrowed to one kind of object or one person."""
    entries = visible_to(AuditEntry, user).filter(town_id=town_id)
    if model:
        entries = entries.filter(model=model)
    if by_id is not None:
        entries = entries.filter(by_id=by_id)
    return entries.select_related("by").order_by("-at", "-id")


def audit_choices(*, user: User, town_id: int) -> tuple[list[str], list[User]]:
    """The kinds of object and the people the town's trail names, for its filters."""
    entries = visible_to(AuditEntry, user).filter(town_id=town_id)
    models = sorted(set(entries.values_list("model", flat=True)))
    people = list(User.objects.filter(pk__in=entries.values("by_id"))
                  .order_by("last_name", "first_name", "username"))
    return models, people
