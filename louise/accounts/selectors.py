"""Reads for people."""

from django.utils import timezone

from .models import ApiToken, User


def user_for_token(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return token.user if token else None
