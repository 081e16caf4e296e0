"""The audit trail of the consoles: every change an operator or dispatcher makes is written
here with who, when and what (field by field), in the same transaction as the change."""

from typing import Any

from django.db import models

from .models import AuditEntry, User


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's own field values as JSON-able text, to compare before and after."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        values[field.attname] = (value if isinstance(value, (bool, int, float, str, list,
                                                                dict, type(None)))
                                 else str(value))
    return values


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
