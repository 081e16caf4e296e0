"""API authentication: a bearer token for apps and scripts, or the browser's session
(with CSRF protection, as ninja's session auth enforces for unsafe methods)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from louise.accounts.models import User
from louise.accounts.selectors import user_for_token


class AuthedRequest(HttpRequest):
    """The request a handler behind `AUTH` gets: ninja has set `auth` to the signed-in user
    (for the type checker; Django's request has no such attribute)."""

    auth: User
    user: User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()
AUTH = [bearer, django_auth]
