"""Sign-in throttling with django-axes, for the login page and the API's token login.

After `LOUISE_LOGIN_FAILURE_LIMIT` wrong passwords for one username from one address, that
pair is locked for `LOUISE_LOGIN_COOLOFF_MIN` minutes, even for the right password: 300
guesses in a row must not end in a sign-in. Locking the pair (not the username alone) keeps
a stranger from locking a customer out from elsewhere. The operator lifts a lock early in
/admin/ (Axes → Zugriffsversuche). Behind a reverse proxy (`LOUISE_PROXY=1`) the client's
address is the one the proxy appended to X-Forwarded-For; otherwise that header, which
anyone can send, is ignored.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """`AXES_CLIENT_IP_CALLABLE`: the address the attempts are counted for."""
    if settings.LOUISE_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if last := forwarded.rsplit(",", 1)[-1].strip():
            return last
    return request.META.get("REMOTE_ADDR", "")


def locked_out_message() -> str:
    minutes = settings.LOUISE_LOGIN_COOLOFF_MIN
    return (f"Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die "
            f"Anmeldung für {minutes} Minuten gesperrt; danach können Sie es wieder "
            f"versuchen.")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """`AXES_LOCKOUT_CALLABLE`: 429 with the API's JSON error, or the login page with a
    German message."""
    retry_after = str(settings.LOUISE_LOGIN_COOLOFF_MIN * 60)
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": locked_out_message(), "code": "locked_out",
                                 "field": None}, status=429)
    else:
        response = render(request, "registration/locked_out.html",
                          {"message": locked_out_message()}, status=429)
    response["Retry-After"] = retry_after
    return response
