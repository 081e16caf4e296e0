"""Money is stored as integer EUR cents; this is how it is written out in German."""


def euro_text(cents: int) -> str:
    """1234 → "12,34": decimal comma, no thousands separator, as spreadsheets read it."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"
