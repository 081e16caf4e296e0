"""API for the parcel lockers' controllers: a compartment opened with its code."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from louise.accounts.models import User
from louise.api.auth import AUTH
from louise.api.errors import ERRORS, Error
from louise.core.validation import RowId
from louise.geo.models import LockerCredential
from louise.geo.selectors import locker_credential_for
from louise.orders.lockers import locker_collect


class LockerRequest(HttpRequest):
    """For the type checker: ninja sets `auth` to the controller's credential or the user."""

    auth: User | LockerCredential


class LockerBearer(HttpBearer):
    """The controller's own secret (`louise locker_credential`); it reaches only this
    router's endpoint, never the rest of the API."""

    def authenticate(self, request: HttpRequest, token: str):
        return locker_credential_for(key=token)


router = Router(tags=["Paketstationen"], auth=[LockerBearer(), *AUTH])


class OpenIn(Schema):
    code: str = Field(pattern=r"^\s*\d{6}\s*$", description="Der sechsstellige Öffnungscode")


class OpenOut(Schema):
    compartment: int = Field(alias="number", description="Das Fach, das sich öffnen darf")


@router.post("/lockers/{locker_id}/open", response={200: OpenOut, 429: Error, **ERRORS})
def locker_open(request: LockerRequest, locker_id: RowId, data: OpenIn):
    """The customer took the parcel: the compartment is free again. For the locker
    controller's own credential (or an operator at the locker). After 5 wrong codes within
    15 minutes the locker answers 429 for a while."""
    return locker_collect(locker_id=locker_id, code=data.code, by=request.auth)
