"""What every back-office view shares: the role guard, 404 for other shops' objects, and
domain errors shown as messages on the page."""

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest

from louise.accounts.models import Role
from louise.catalog.models import Merchant
from louise.core.errors import DomainError, Forbidden, NotFound
from louise.web.access import AuthedRequest, scoped_page

merchant_page = scoped_page(Role.MERCHANT)


def shop_of(request: AuthedRequest) -> Merchant:
    """The signed-in team member's shop: behind `merchant_page` there always is one (a
    database constraint gives every user of the merchant role a shop)."""
    merchant = request.user.merchant
    assert merchant is not None
    return merchant


def attempt[T](request: HttpRequest, action: Callable[[], T],
               success: str | Callable[[T], str] = "") -> T | None:
    """Run one service call and return its result; its domain error becomes an error message
    on the page (and None) instead of a crash. Other shops' objects stay 404s."""
    try:
        result = action()
    except (NotFound, Forbidden):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    if text := success(result) if callable(success) else success:
        messages.success(request, text)
    return result


def submit[T](request: HttpRequest, form: Form, action: Callable[[dict], T],
              success: str | Callable[[T], str] = "") -> T | None:
    """A posted form: if valid, one service call with its cleaned data (see `attempt`);
    if not, its errors as messages."""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return None
    return attempt(request, lambda: action(form.cleaned_data), success)
