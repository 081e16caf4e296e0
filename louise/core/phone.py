"""Telephone numbers as people type them: checked once here, for the hotline's callers and
the SMS channel alike."""

import re

from .errors import Invalid

# Digits with the usual separators; a leading + for the international form.
_SHAPE = re.compile(r"\+?[0-9][0-9 ()/\-.]*")


def phone_digits(text: str) -> str:
    """The number in one comparable form (digits, German national prefix), so that
    "+49 2041 123456", "0049 2041/123456" and "02041 123456" are the same caller."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+49") or digits.startswith("0049"):
        digits = "0" + digits.removeprefix("0049").removeprefix("49")
    return digits


def phone_clean(text: str, *, field: str = "phone") -> str:
    """A telephone number as the person typed it, tidied; anything that cannot be dialled
    (letters, too few or too many digits, no area code) is refused with the reason."""
    tidy = " ".join(text.split())
    digits = re.sub(r"\D", "", tidy)
    if not tidy:
        raise Invalid("Bitte eine Telefonnummer angeben.", field=field)
    if (not _SHAPE.fullmatch(tidy) or not 6 <= len(digits) <= 15
            or not (tidy.startswith(("0", "+")))):
        raise Invalid(f"„{tidy[:40]}“ ist keine Telefonnummer. Bitte mit Vorwahl eingeben, "
                      "z. B. 02041 123456 oder +49 171 1234567.", field=field,
                      code="bad_phone")
    return tidy


def phone_international(text: str) -> str:
    """The number in E.164 form (+49…), as SMS gateways want it."""
    digits = phone_digits(text)
    return "+49" + digits[1:] if digits.startswith("0") else "+" + digits
