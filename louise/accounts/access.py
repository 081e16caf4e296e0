"""Who may see and do what, in one place.

Three things live here and nowhere else:

* the named role sets (`DISPATCH`, `STAFF`, …), so that "dispatcher or operator" is
  written once;
* the guards services call before acting for a person (`require_role`,
  `require_shop_owner`): a wrong role raises `Forbidden`;
* the object scope: `visible_to(Order, user)` is the queryset of orders that person may
  see, in the spirit of NetBox's `RestrictedQuerySet.restrict`. Selectors and services
  look objects up through it, and an object outside the scope is reported as `NotFound`,
  so its existence is not revealed.

accounts sits below the apps whose models are scoped, so it cannot name them. Each app
therefore registers the rule for its own models next to its reads (in its `selectors`,
loaded by its `AppConfig.ready`) with `scope_rule(Model, {role: condition})`: a condition
is a function of the user returning a `Q`, `ALL` lets that role see every object, and a
role without an entry sees none. This module stays the one place to read the mechanism.
The public catalogue (shops, products, zones) is open to everyone and is not scoped here;
the product rule only says which products a shop's staff may edit.

Towns: a model family that belongs to a town names the path to it (`town="order__town"`),
and `visible_to` narrows every role but the customer's to the acting person's towns
(`town_ids`): the members of a town's team see that town, a shop's staff their shop's
town, and the region's operator (`User.all_towns`) every town. Customers order from any
town, and their own rule already keeps them to their own objects.
"""

from collections.abc import Callable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from louise.core.errors import Forbidden

from .models import Role, User

# Plan and publish tours, see every leg and tour; the operator may do all dispatch does.
DISPATCH = frozenset({Role.DISPATCHER, Role.OPERATOR})
# LOUISE's own people: they see every order (the hotline answers questions about any).
STAFF = DISPATCH | {Role.HOTLINE}
# The City-Depot's desk (scan in, sort, release): its staff, and dispatch standing in.
HUB_DESK = DISPATCH | {Role.HUB}
# A town's own team, as its operator manages it (invites, blocks, moves between towns).
TEAM = STAFF | {Role.RIDER, Role.HUB}
# May act for a customer on their order (cancel it), e.g. on the phone.
ON_BEHALF = frozenset({Role.HOTLINE, Role.OPERATOR})

OWNER_PERMISSION = "catalog.manage_shop"  # granted per person by `shop_owner_grant`

Condition = Callable[[User], Q]


def ALL(user: User) -> Q:
    """The condition "every object", for roles that see the whole model (upper case: it
    reads as a constant in the rule tables)."""
    return Q()


_RULES: dict[type[Model], dict[str, Condition]] = {}
_TOWN_PATHS: dict[type[Model], str] = {}


def has_role(user, *roles: str) -> bool:
    """Signed in, active and in one of `roles`; False for anonymous visitors."""
    return user.is_authenticated and user.has_role(*roles)


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise Forbidden("Für diese Aktion fehlt Ihnen die Berechtigung.")


def is_shop_owner(user) -> bool:
    """Merchant staff holding the owner's right (team and turnover)."""
    return has_role(user, Role.MERCHANT) and user.has_perm(OWNER_PERMISSION)


def require_shop_owner(user) -> None:
    require_role(user, Role.MERCHANT)
    if not is_shop_owner(user):
        raise Forbidden("Nur die Inhaberin oder der Inhaber des Geschäfts darf das.")


def town_ids(user) -> list[int] | None:
    """The towns whose objects `user` works with; None means every town (the region's
    operator, a superuser). Remembered on the user object for the request."""
    if user.is_superuser or user.all_towns:
        return None
    cached = getattr(user, "_town_ids", None)
    if cached is None:
        if user.role == Role.MERCHANT:
            cached = [user.merchant.town_id] if user.merchant_id else []
        else:
            cached = list(user.towns.values_list("pk", flat=True))
        user._town_ids = cached
    return cached


def town_scope(user, path: str = "town") -> Q:
    """The condition "in one of the user's towns" along `path` (everything for the region)."""
    ids = town_ids(user)
    return Q() if ids is None else Q(**{f"{path}__in": ids})


def scope_rule(model: type[Model], conditions: Mapping[str, Condition], *,
               town: str | None = None) -> None:
    """Register which objects of `model` each role sees (called once per model, by the app
    that owns it); `town` is the path from the model to its town, if it has one."""
    unknown = set(conditions) - set(Role.values)
    if unknown:
        raise ImproperlyConfigured(f"Unbekannte Rollen in der Regel für {model.__name__}: "
                                   f"{sorted(unknown)}")
    _RULES[model] = dict(conditions)
    if town is not None:
        _TOWN_PATHS[model] = town


def visible_to[M: Model](model_or_queryset: type[M] | QuerySet[M], user) -> QuerySet[M]:
    """The objects of a model (or of a queryset of it) that `user` may see: nothing for
    anonymous or blocked people and for roles the model's rule does not name."""
    qs = (model_or_queryset if isinstance(model_or_queryset, QuerySet)
          else model_or_queryset._default_manager.all())
    rule = _RULES.get(qs.model)
    if rule is None:
        raise ImproperlyConfigured(f"{qs.model.__name__} hat keine Sichtbarkeitsregel "
                                   "(scope_rule in den selectors der App).")
    condition = rule.get(user.role) if user.is_authenticated and user.is_active else None
    if condition is None:
        return qs.none()
    qs = qs.filter(condition(user))
    path = _TOWN_PATHS.get(qs.model)
    if path is not None and user.role != Role.CUSTOMER:
        qs = qs.filter(town_scope(user, path))
    return qs
