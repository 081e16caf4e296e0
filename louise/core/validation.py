"""Model invariants checked before every save by a service, turned into our error type."""

from django.core.exceptions import ValidationError
from django.db.models import Model

from .errors import Invalid


def save_validated[M: Model](instance: M, *, exclude: list[str] | None = None) -> M:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field if field != "__all__" else "Eingabe"
        raise Invalid(f"{label}: {' '.join(messages)}", field=field) from exc
    instance.save()
    return instance
