"""Domain errors become HTTP answers here, and only here.

Every error body has one shape, `{"detail", "code", "field"}`, also where the framework
answers: input that does not fit a schema (422), no or a wrong credential (401), a CSRF
refusal (403), a path under /api/ that does not exist (404).
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from louise.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
)

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 400, TooManyAttempts: 429}
NOT_FOUND = "Diesen Pfad gibt es in der API nicht."
UNAUTHENTICATED = ("Anmeldung nötig: ein gültiges Token (Authorization: Bearer …) oder eine "
                   "angemeldete Sitzung.")
CSRF_FAILED = "CSRF-Prüfung fehlgeschlagen: Seite neu laden oder ein Token verwenden."
# django-ninja's words when a JSON body does not parse (with details only under DEBUG).
UNPARSABLE = "Cannot parse request body"
BAD_JSON = "Der Inhalt der Anfrage ist kein gültiges JSON."
# Pydantic's error types in German; others keep pydantic's (English) message.
SCHEMA_MESSAGES = {
    "missing": "fehlt",
    "string_pattern_mismatch": "hat nicht das erwartete Format",
    "string_too_short": "ist zu kurz (mindestens {min_length} Zeichen)",
    "string_too_long": "ist zu lang (höchstens {max_length} Zeichen)",
    "too_short": "hat zu wenige Einträge (mindestens {min_length})",
    "too_long": "hat zu viele Einträge (höchstens {max_length})",
    "greater_than_equal": "muss mindestens {ge} sein",
    "greater_than": "muss größer als {gt} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "less_than": "muss kleiner als {lt} sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "float_parsing": "muss eine Zahl sein",
    "float_type": "muss eine Zahl sein",
    "string_type": "muss Text sein",
    "string_unicode": "ist kein gültiger Unicode-Text",
    "bool_parsing": "muss true oder false sein",
    "date_from_datetime_parsing": "ist kein Datum (JJJJ-MM-TT)",
    "date_parsing": "ist kein Datum (JJJJ-MM-TT)",
    "datetime_from_date_parsing": "ist kein Zeitpunkt (ISO 8601)",
    "datetime_parsing": "ist kein Zeitpunkt (ISO 8601)",
    "json_invalid": "ist kein gültiges JSON",
    "model_attributes_type": "muss ein Objekt sein",
    "dict_type": "muss ein Objekt sein",
    "list_type": "muss eine Liste sein",
}
SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


class Error(Schema):
    detail: str
    code: str
    field: str | None = None


def error_body(detail: str, code: str, field: str | None = None) -> dict:
    return {"detail": detail, "code": code, "field": field}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):
        status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 400)
        return api.create_response(request, error_body(exc.message, exc.code, exc.field),
                                   status=status)

    @api.exception_handler(ValidationError)
    def model_validation(request: HttpRequest, exc: ValidationError):
        return api.create_response(request, error_body(" ".join(exc.messages), "invalid"),
                                   status=400)

    @api.exception_handler(SchemaError)
    def schema_error(request: HttpRequest, exc: SchemaError):
        problems = [(_field(e.get("loc", ())), _message(e)) for e in exc.errors]
        detail = "; ".join(f"„{field}“ {msg}" if field else msg for field, msg in problems)
        field = problems[0][0] if problems else None
        return api.create_response(
            request, error_body(detail or "Ungültige Eingabe.", "validation", field), status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, error_body(UNAUTHENTICATED, "unauthenticated"),
                                   status=401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        if exc.status_code == 403 and "CSRF" in exc.message:
            body = error_body(CSRF_FAILED, "csrf_failed")
        elif exc.status_code == 400 and exc.message.startswith(UNPARSABLE):
            body = error_body(BAD_JSON, "bad_json")
        else:
            body = error_body(exc.message, f"http_{exc.status_code}")
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, error_body(NOT_FOUND, "not_found"), status=404)


def unknown_path(request: HttpRequest, path: str = "") -> JsonResponse:
    """Below /api/, an unknown path is answered in the API's shape, not as a web page."""
    return JsonResponse(error_body(NOT_FOUND, "not_found"), status=404)


def _field(loc: tuple | list) -> str | None:
    """`("body", "data", "lines", 0, "quantity")` → `lines.0.quantity`: without the source
    and, for a body, the handler's parameter name, which the client never sees."""
    parts = list(loc)
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or None


def _message(error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return error.get("msg", "ist ungültig")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


def document_validation_errors(schema: dict) -> dict:
    """Every operation that takes input may answer 422 (the framework's schema check):
    added here to each, so no handler can forget it."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            if operation.get("parameters") or operation.get("requestBody"):
                operation["responses"].setdefault(422, {
                    "description": "Unprocessable Content",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}},
                })
    return schema
