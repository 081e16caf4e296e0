"""Who may do what, in one place.

Every service that acts for a person calls one of these guards; selectors scope
querysets with the `*_visible_to` functions in each app. A guard raises `Forbidden`
for a wrong role; objects outside a person's scope are reported as `NotFound` so that
their existence is not revealed.
"""

from louise.core.errors import Forbidden

from .models import Role, User

STAFF_ROLES = (Role.DISPATCHER, Role.OPERATOR)


def require_role(user: User, *roles: str) -> None:
    if not user.is_authenticated or not user.has_role(*roles):
        raise Forbidden("Für diese Aktion fehlt Ihnen die Berechtigung.")


def is_staff_role(user: User) -> bool:
    return user.is_authenticated and user.has_role(*STAFF_ROLES)
