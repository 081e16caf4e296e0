"""API authentication: a bearer token for apps and scripts, or the browser's session
(with CSRF protection, as ninja's session auth enforces for unsafe methods).

A request that carries an `Authorization` header is judged by it alone: a wrong token is a
401, never a fall-through to the session's CSRF check (403 "CSRF check failed")."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from louise.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
            request.api_token_key = token  # so that the token can revoke itself
        return user


class BrowserSession(SessionAuth):
    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None
        return super().__call__(request)


bearer = BearerToken()
AUTH = [bearer, BrowserSession()]
