"""API authentication: a bearer token for apps and scripts, or the browser's session
(with CSRF protection, as ninja's session auth enforces for unsafe methods).

A request that carries an `Authorization` header is judged by it alone: a wrong token is a
401, never a fall-through to the session's CSRF check (403 "CSRF check failed")."""

from typing import cast

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from louise.accounts.models import User
from louise.accounts.selectors import user_for_token


class AuthedRequest(HttpRequest):
    """The request a handler behind `AUTH` gets: ninja has set `auth` to the signed-in user
    (for the type checker; Django's request has no such attribute)."""

    auth: User
    user: User
    api_token_key: str  # the bearer token itself, so that it can revoke itself


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
            cast(AuthedRequest, request).api_token_key = token
        return user


class BrowserSession(SessionAuth):
    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None
        return super().__call__(request)


bearer = BearerToken()
AUTH = [bearer, BrowserSession()]
