"""Model invariants checked before every save by a service, turned into our error type."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Model
from pydantic import Field

from .errors import Invalid

# The largest primary key a row can have (a 64-bit integer column, SQLite's and
# PostgreSQL's bigint alike).
MAX_ROW_ID = 2**63 - 1
# For API schemas and path parameters that name a row: a larger number is no row at all,
# and SQLite's driver cannot even send it (an OverflowError, a 500); a 422 like any bad field.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


def save_validated[M: Model](instance: M, *, exclude: list[str] | None = None) -> M:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field if field != "__all__" else "Eingabe"
        raise Invalid(f"{label}: {' '.join(messages)}", field=field) from exc
    instance.save()
    return instance
