"""API authentication: a bearer token for apps and scripts, or the browser's session
(with CSRF protection, as ninja's session auth enforces for unsafe methods)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from louise.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()
AUTH = [bearer, django_auth]
