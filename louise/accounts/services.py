"""Writes for people: creating users of each role and issuing API tokens."""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from louise.core.errors import Invalid

from .models import ApiToken, Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.CUSTOMER,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    merchant=None,
    check_password: bool = True,
    password_hash: str | None = None,
    town_ids: Sequence[int] = (),
    all_towns: bool = False,
) -> User:
    """Create a person with one role. `password_hash` lets bulk imports (and the demo) reuse
    one expensive hash instead of hashing the same password hundreds of times. LOUISE's
    own people work for the towns in `town_ids`, or for all of them (`all_towns`)."""
    if role not in Role.values:
        raise Invalid(f"Unbekannte Rolle „{role}“.", field="role")
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid("Dieser Benutzername ist schon vergeben.", field="username", code="taken")
    if email and User.objects.filter(email__iexact=email).exists():
        raise Invalid("Zu dieser E-Mail-Adresse gibt es schon ein Konto.", field="email",
                      code="taken")
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name,
        phone=phone, role=role, merchant=merchant if role == Role.MERCHANT else None,
        all_towns=all_towns,
    )
    if role == Role.MERCHANT and merchant is None:
        raise Invalid("Ein Händlerkonto gehört zu genau einem Geschäft.", field="merchant")
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), field="password") from exc
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if town_ids:
        user.towns.set(town_ids)
    return user


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    """A person corrects their own name or phone (the e-mail is the login and stays)."""
    user.first_name, user.last_name, user.phone = (first_name.strip(), last_name.strip(),
                                                   phone.strip())
    if not user.first_name or not user.last_name:
        raise Invalid("Bitte Vor- und Nachnamen angeben.", field="last_name")
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="phone") from exc
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


def token_issue(*, request: HttpRequest, username: str, password: str) -> tuple[User, str]:
    """Check the credentials and hand out a new bearer token (shown once, stored hashed).
    The request lets the sign-in throttle count failures per client (accounts.throttle)."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise Invalid("Benutzername oder Passwort ist falsch.", code="bad_credentials")
    # A sign-in like the login page's: the throttle forgets earlier failures, and
    # `last_login` is kept.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash(key),
        expires_at=timezone.now() + timedelta(days=settings.LOUISE_API_TOKEN_DAYS),
    )
    return user, key


def token_revoke(*, key: str, everywhere: bool = False) -> int:
    """End the token now (a lost phone, a signed-out app); with `everywhere`, all tokens of
    its owner. Returns how many ended."""
    token = ApiToken.objects.filter(key_hash=ApiToken.hash(key)).first()
    if token is None:
        return 0
    tokens = ApiToken.objects.filter(user_id=token.user_id) if everywhere else \
        ApiToken.objects.filter(pk=token.pk)
    return tokens.delete()[0]
