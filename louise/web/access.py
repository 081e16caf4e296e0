"""Page access by role, in one place: every page view is wrapped in `role_required`.

Anonymous visitors are sent to the login page; a signed-in person with the wrong role
gets a 403 page (objects outside their scope are 404s, decided by the selectors).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from louise.accounts.models import Role, User
from louise.core.errors import Forbidden, NotFound

HOME_BY_ROLE: dict[str, str] = {
    Role.CUSTOMER: "/",
    Role.MERCHANT: "/laden/",
    Role.DISPATCHER: "/dispo/",
    Role.RIDER: "/fahrer/",
    Role.HOTLINE: "/hotline/",
    Role.OPERATOR: "/betrieb/",
    Role.HUB: "/depot/",
}


class AuthedRequest(HttpRequest):
    """The request a view behind `role_required` sees: its user is signed in (for the type
    checker; django-stubs' way to say so)."""

    user: User


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


def scoped_page(*roles: str) -> Callable:
    """`role_required`, and a domain `NotFound` (an object outside the person's scope) shown
    as a plain 404, a `Forbidden` as a 403: the page views of every role share this."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @role_required(*roles)
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc

        return wrapped

    return decorator
