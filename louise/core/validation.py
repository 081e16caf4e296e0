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


def save_validated[M: Model](instance: M, *, exclude: list[str] | None = None,
                             loaded: bool = False) -> M:
    """`full_clean`, its errors as `Invalid`, then save. With `loaded`, the caller vouches
    for what it has just read and built in its transaction, so the database is not asked
    again: relations given as loaded rows are not looked up one by one, and the model's
    check constraints (one query each) are left to the database, which enforces them on
    the insert all the same (a checkout asked 15 such queries)."""
    skip = list(exclude or [])
    if loaded:
        skip += [f.name for f in instance._meta.concrete_fields
                 if f.is_relation and f.is_cached(instance)  # type: ignore[attr-defined]
                 and getattr(instance, f.name) is not None]
    try:
        instance.full_clean(exclude=skip, validate_constraints=not loaded)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field if field != "__all__" else "Eingabe"
        raise Invalid(f"{label}: {' '.join(messages)}", field=field) from exc
    instance.save()
    return instance
