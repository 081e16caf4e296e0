"""Domain errors become HTTP answers here, and only here."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from louise.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
)

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 400, TooManyAttempts: 429}


class Error(Schema):
    detail: str
    code: str
    field: str | None = None


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):
        status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 400)
        return api.create_response(
            request, {"detail": exc.message, "code": exc.code, "field": exc.field}, status=status
        )

    @api.exception_handler(ValidationError)
    def model_validation(request: HttpRequest, exc: ValidationError):
        return api.create_response(
            request, {"detail": " ".join(exc.messages), "code": "invalid", "field": None},
            status=400,
        )


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}
