"""The calendar days LOUISE accepts from people.

A day far from today is never meant, and near `date.max` it breaks the arithmetic of a
whole day (midnight + 24 h) with an `OverflowError`: the API and the pages accept only days
between these bounds and answer others as bad input instead of failing.
"""

from datetime import date
from typing import Annotated

from pydantic import Field

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)

# For API schemas and query parameters: anything else is a 422 like any bad field.
PlausibleDay = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


def day_from_text(text: str) -> date:
    """`YYYY-MM-DD` within the bounds; `ValueError` otherwise (as `date.fromisoformat`)."""
    day = date.fromisoformat(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"Tag außerhalb von {FIRST_DAY:%Y} bis {LAST_DAY:%Y}: {text}")
    return day
