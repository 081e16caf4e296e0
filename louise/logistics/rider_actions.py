"""The rider app's outbox on the server side: each action exactly once, in order.

The phone queues actions while offline and sends them one after another, each with an
idempotency key made when the rider tapped. Here every key is applied at most once: the
first outcome (success or refusal) is stored with the key and returned again for a replay,
so a lost answer never completes a stop twice. A row lock on the rider serialises their
actions, so two tabs or a retry racing the original cannot overtake each other.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.core import errors
from louise.core.errors import DomainError, Invalid

from .models import RiderAction, TourStop
from .services import stop_complete, stop_fail

ACTIONS: dict[str, Callable[..., TourStop]] = {"complete": stop_complete, "fail": stop_fail}
ERROR_KINDS = {cls.__name__: cls for cls in
               (errors.Invalid, errors.NotFound, errors.Conflict, errors.Forbidden)}


def rider_action_apply(*, rider: User, key: str, kind: str, stop_id: int, data: dict[str, Any],
                       at: datetime | None = None, photo=None) -> RiderAction:
    """Apply one queued action, or return the stored outcome of its key."""
    require_role(rider, Role.RIDER)
    if not 8 <= len(key) <= 64:
        raise Invalid("Aktionsschlüssel fehlt oder ist ungültig.", field="key")
    if kind not in ACTIONS:
        raise Invalid(f"Unbekannte Aktion „{kind}“.", field="kind")
    try:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=rider.pk)
            done = RiderAction.objects.filter(rider=rider, key=key).first()
            if done is not None:
                return done
            error, result = "", dict[str, Any]()
            try:
                with transaction.atomic():
                    extra = {"photo": photo} if photo is not None else {}
                    stop = ACTIONS[kind](stop_id=stop_id, rider=rider, at=at, **data, **extra)
                result = {"stop": stop.pk, "status": stop.status, "fallback": stop.fallback}
            except DomainError as exc:
                error = type(exc).__name__
                result = {"detail": exc.message, "code": exc.code, "field": exc.field}
            return RiderAction.objects.create(
                rider=rider, key=key, kind=kind, error=error, result=result,
                stop_id=result.get("stop"))
    except IntegrityError:  # the same key committed by a racing request a moment ago
        return RiderAction.objects.get(rider=rider, key=key)


def rider_action_outcome(action: RiderAction) -> dict:
    """The stored outcome; a refusal is raised again as the domain error it was."""
    if action.error:
        r = action.result
        raise ERROR_KINDS.get(action.error, Invalid)(r["detail"], code=r.get("code"),
                                                     field=r.get("field"))
    return action.result
