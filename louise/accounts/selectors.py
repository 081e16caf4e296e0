"""Reads for people."""

from django.utils import timezone

from .access import ALL, DISPATCH, scope_rule
from .models import ApiToken, AuditEntry, User


def user_for_token(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return token.user if token else None


# The trail of a town's consoles: its operator and dispatchers read it.
scope_rule(AuditEntry, dict.fromkeys(DISPATCH, ALL), town="town")
