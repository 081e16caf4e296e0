"""Money is stored as integer EUR cents; this is the one way it is written out, in German."""

from decimal import Decimal

from babel.numbers import format_currency

AMOUNT_ONLY = "#,##0.00"  # a CSV column whose header already names the currency


def euro_text(cents: int, *, symbol: bool = True) -> str:
    """1234567 → "12.345,67 €": German notation with a no-break space before the sign, for
    pages, mails and PDFs; `symbol=False` gives "12.345,67" for spreadsheet columns."""
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale="de_DE",
                           format=None if symbol else AMOUNT_ONLY)


def euros(cents: int) -> Decimal:
    """Cents as euros with both decimals, for a form's initial value ("12,90", not "12,9")."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))
