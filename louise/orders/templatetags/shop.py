"""Template helpers of the customer shop: amounts (LOUISE stores money as integer EUR
cents everywhere) and the basket count shown in every page header."""

from django import template

from louise.accounts.access import has_role
from louise.accounts.models import Role
from louise.core.money import euro_text
from louise.orders.basket import basket_count as session_basket_count

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """1299 → "12,99 €", as `euro_text` writes it everywhere; nothing for no amount."""
    return "" if cents is None else euro_text(int(cents))


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    request = context.get("request")
    return session_basket_count(session=request.session) if request else 0


@register.filter
def may_order(user) -> bool:
    """Baskets and bookings are a customer's: staff browsing the shop see no button that
    would only answer "Kein Zugriff"; a visitor sees them and is asked to sign in."""
    return not user.is_authenticated or has_role(user, Role.CUSTOMER)


@register.filter
def get_item(mapping: dict, key):
    """`fees|get_item:method` — a dict lookup by a variable key."""
    return mapping.get(key)
