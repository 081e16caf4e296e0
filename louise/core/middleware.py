"""Request checks that hold for every page and endpoint, before any view runs."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"
NUL_MESSAGE = "Die Anfrage enthält ein unzulässiges Nullzeichen (\\0)."


def _has_nul(values: Iterable[Any]) -> bool:
    """Whether any string in a JSON-like value (nested lists and dicts, keys too) has NUL.

    A string that is itself JSON (the rider app posts its action's fields as JSON in one
    form field) is looked into as well: its escaped `\\u0000` becomes a NUL once parsed."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return True
            if value[:1] in ("{", "[") and (inner := _json(value)) is not None:
                stack.append(inner)
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None  # the endpoint itself answers malformed JSON with its 4xx


class RejectNulMiddleware:
    """Refuse, with a 400, any request whose path, query, cookies, form fields or JSON body
    contain a NUL character.

    No input of LOUISE may hold one, and PostgreSQL cannot store one in text: a single
    `%00` in a slug, a search or a note would otherwise end in a 500 wherever it reaches the
    database. One check here spares every form and schema its own. API paths get the API's
    JSON error; pages get a plain German message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._contains_nul(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE, "code": "invalid", "field": None},
                                    status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _contains_nul(request: HttpRequest) -> bool:
        if NUL in request.path:
            return True
        fields: list[tuple[str, object]] = [*request.GET.lists(), *request.COOKIES.items()]
        if request.method == "POST" and request.content_type in (
                "multipart/form-data", "application/x-www-form-urlencoded"):
            fields += [*request.POST.lists(), *((name, f.name) for name, files in
                                                request.FILES.lists() for f in files)]
        if _has_nul(value for pair in fields for value in pair):
            return True
        if request.content_type == "application/json" and request.body:
            return _has_nul([_json(request.body)])
        return False
