"""Amounts typed on pages ("23,40 €") turned into the cents the services take."""

from decimal import Decimal, InvalidOperation

from louise.core.errors import Invalid


def euro_cents(text: str, field: str) -> int:
    """"12,80" or "12.80" → 1280; anything that is no amount is refused in German (the
    service judges the amount itself, so 0 and negatives reach it)."""
    try:
        amount = Decimal(text.strip().replace(".", "").replace(",", ".")
                         if "," in text else text.strip())
    except InvalidOperation as exc:
        raise Invalid("Bitte einen Betrag in Euro eingeben, z. B. 23,40.", field=field) from exc
    if not amount.is_finite():
        raise Invalid("Bitte einen Betrag in Euro eingeben, z. B. 23,40.", field=field)
    return int((amount * 100).to_integral_value())
