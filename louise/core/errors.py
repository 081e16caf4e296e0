"""The one family of application errors.

Services raise these with a message a person can act on; the API maps each kind to an
HTTP status in one place (`louise.api.errors`) and the web views show the message.
"""


class DomainError(Exception):
    """A business rule refused the operation."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class Invalid(DomainError):
    """The input breaks a rule (unknown slot, bad IBAN, address outside the service area)."""


class NotFound(DomainError):
    """The object does not exist or is not visible to this user (we never say which)."""

    code = "not_found"


class Forbidden(DomainError):
    """The user's role may not do this at all."""

    code = "forbidden"


class Conflict(DomainError):
    """The object's state does not allow this now (illegal transition, stock gone)."""

    code = "conflict"


class TooManyAttempts(DomainError):
    """Too many failed tries in a short time (guessing); try again later."""

    code = "too_many_attempts"
