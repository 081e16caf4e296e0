"""Page access by role, in one place: every page view is wrapped in `role_required`.

Anonymous visitors are sent to the login page; a signed-in person with the wrong role
gets a 403 page (objects outside their scope are 404s, decided by the selectors).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from louise.accounts.models import Role

HOME_BY_ROLE = {
    Role.CUSTOMER: "/",
    Role.MERCHANT: "/laden/",
    Role.DISPATCHER: "/dispo/",
    Role.RIDER: "/fahrer/",
    Role.HOTLINE: "/",
    Role.OPERATOR: "/admin/",
}


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise PermissionDenied("Für diese Seite fehlt Ihnen die Berechtigung.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
