"""What every customer page shares: the role guard (other people's objects are 404s) and
the idempotency key of booking forms."""

import secrets

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from louise.accounts.models import Role
from louise.web.access import scoped_page

# Signed-in customers only; an order or checkout that is not theirs is a plain 404.
customer_page = scoped_page(Role.CUSTOMER)


def form_key() -> str:
    """A fresh idempotency key for a booking form: the same form posted twice (double
    click, reload, a retry after a lost answer) carries the same key and books once."""
    return secrets.token_urlsafe(24)


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the page's `next` if it stays on this site, else `default`
    (a link from elsewhere must not turn the shop into an open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return target if target and safe else default
