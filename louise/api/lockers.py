"""API for the parcel lockers' controllers: a compartment opened with its code."""

from ninja import Field, Router, Schema

from louise.api.auth import AUTH, AuthedRequest
from louise.api.errors import ERRORS
from louise.orders.lockers import locker_collect

router = Router(tags=["Paketstationen"], auth=AUTH)


class OpenIn(Schema):
    code: str = Field(pattern=r"^\s*\d{6}\s*$", description="Der sechsstellige Öffnungscode")


class OpenOut(Schema):
    compartment: int = Field(alias="number", description="Das Fach, das sich öffnen darf")


@router.post("/lockers/{locker_id}/open", response={200: OpenOut, **ERRORS})
def locker_open(request: AuthedRequest, locker_id: int, data: OpenIn):
    """The customer took the parcel: the compartment is free again. For the locker
    controller's operator token (or an operator at the locker)."""
    return locker_collect(locker_id=locker_id, code=data.code, by=request.auth)
