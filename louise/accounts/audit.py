"""The audit trail of the consoles: every change an operator or dispatcher makes is written
here with who, when and what (field by field), in the same transaction as the change."""

from datetime import UTC, date, datetime, time
from typing import Any

from django.db import models

from .models import AuditEntry, User


def _plain(value: Any) -> Any:
    """A field value as JSON: instants in UTC, so the same moment given in another zone
    is not recorded as a change."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (bool, int, float, str, list, dict, type(None))):
        return value
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's own field values as JSON-able text, to compare before and after."""
    return {field.attname: _plain(field.value_from_object(obj))
            for field in obj._meta.concrete_fields}


def audit_record(*, by: User | None, action: str, obj: models.Model,
                 before: dict[str, Any] | None = None, town_id: int | None = None,
                 note: str = "") -> AuditEntry:
    """Record `action` ("angelegt", "geändert", "gelöscht", …) on `obj`; with `before` (a
    `snapshot` taken before the change) only the fields that changed are kept."""
    after = snapshot(obj)
    if before is None:
        changes: dict[str, Any] = {}
    else:
        changes = {name: [before.get(name), value] for name, value in after.items()
                   if before.get(name) != value}
    if note:
        changes["notiz"] = note
    town = town_id if town_id is not None else getattr(obj, "town_id", None)
    return AuditEntry.objects.create(
        by=by if by is not None and by.pk else None, town_id=town, action=action,
        model=str(obj._meta.verbose_name), object_id=str(obj.pk), label=str(obj)[:200],
        changes=changes)
