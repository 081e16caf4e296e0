"""API for dispatch (legs, planning, publishing) and riders (their tours, stops, proofs)."""

from datetime import date, datetime

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError

from louise.api.auth import AUTH, AuthedRequest
from louise.api.errors import ERRORS
from louise.core.dates import PlausibleDay
from louise.core.errors import Invalid
from louise.core.validation import RowId
from louise.geo.selectors import town_for
from louise.logistics import (
    adjust,
    hub_desk,
    hub_routing,
    jobs,
    positions,
    rider_actions,
    running,
    selectors,
    services,
)

router = Router(tags=["Logistik"], auth=AUTH)


class LegOut(Schema):
    id: int
    kind: str
    status: str
    order: str | None = Field(None, alias="order.number")
    pickup_label: str
    drop_label: str
    pickup_from: datetime
    pickup_until: datetime
    drop_from: datetime
    drop_until: datetime
    parcels: int
    weight_g: int
    zone: str | None = Field(None, alias="zone.name")


TownSlug = Field(None, max_length=80, pattern=r"^[a-z0-9-]+$",
                description="Kurzname der Stadt; ohne: die erste Stadt, für die Sie arbeiten")


class PlanIn(Schema):
    day: PlausibleDay
    town: str | None = TownSlug
    time_limit: float | None = Field(
        default=None, ge=0.5, le=600,
        description="Rechenzeit in Sekunden; ohne: nach Zahl der offenen Aufträge (5–60 s)")


class PlanRunOut(Schema):
    id: int
    town: str = Field(alias="town.slug")
    day: date
    status: str
    progress: float
    time_limit_s: float
    summary: dict
    error: str


class StopOut(Schema):
    id: int
    sequence: int
    kind: str
    status: str
    label: str
    lat: float
    lon: float
    planned_arrival: datetime
    planned_departure: datetime
    leg_id: int
    order: str | None = Field(None, alias="leg.order.number")
    parcels: int = Field(alias="leg.parcels")


class TourOut(Schema):
    id: int
    status: str
    rider: str = Field(alias="shift.rider.display_name")
    vehicle: str = Field(alias="shift.vehicle.name")
    starts_at: datetime
    ends_at: datetime
    distance_m: int
    stops: list[StopOut] = Field(alias="stops.all")


class CompleteIn(Schema):
    parcels: int | None = Field(default=None, ge=0, le=99)
    proof_method: str | None = Field(default=None,
                                     pattern="^(photo|signature|name|locker_code)$")
    recipient_name: str = Field(default="", max_length=120)
    locker_code: str = Field(default="", max_length=8)
    signature_svg: str = Field(default="", max_length=200_000)
    codes: list[str] = Field(default=[], max_length=99)


class FailIn(Schema):
    reason: str = Field(pattern=f"^({'|'.join(services.FailureReason.LABELS)})$")


class PublishIn(Schema):
    override_reason: str = Field(
        default="", max_length=500,
        description="Begründung, eine vom Planungsprüfer abgelehnte Tour trotzdem zu "
                    "veröffentlichen (wird mit Person und Zeit gespeichert)")


@router.get("/legs", response={200: list[LegOut], **ERRORS})
def legs(request: AuthedRequest, day: PlausibleDay | None = None, status: str | None = None):
    return selectors.legs_for_dispatch(user=request.auth, day=day, status=status)[:1000]


@router.post("/plans", response={202: PlanRunOut, **ERRORS})
def plan(request: AuthedRequest, data: PlanIn):
    """Queue a planning run (a search may take minutes); poll `GET /plans/{id}`. While a run
    of the day is queued or running, the answer is that run."""
    return Status(202, jobs.plan_enqueue(town=town_for(request.auth, data.town), day=data.day,
                                         by=request.auth, time_limit=data.time_limit))


@router.get("/plans/{run_id}", response={200: PlanRunOut, **ERRORS})
def plan_run(request: AuthedRequest, run_id: RowId):
    return selectors.plan_run_get(run_id=run_id, user=request.auth)


@router.get("/tours", response={200: list[TourOut], **ERRORS})
def tours(request: AuthedRequest, day: PlausibleDay | None = None):
    qs = selectors.tours_visible_to(request.auth)
    return qs.filter(starts_at__date=day) if day else qs[:200]


@router.get("/tours/{tour_id}", response={200: TourOut, **ERRORS})
def tour(request: AuthedRequest, tour_id: RowId):
    return selectors.tour_get(tour_id=tour_id, user=request.auth)


@router.post("/tours/{tour_id}/publish", response={200: TourOut, **ERRORS})
def tour_publish(request: AuthedRequest, tour_id: RowId, data: PublishIn | None = None):
    """Refused (409) while a plan run of the day is running (`plan_running`) and for a tour
    the planning checker rejects (`tour_infeasible`) unless `override_reason` is given."""
    tour = selectors.tour_get(tour_id=tour_id, user=request.auth)
    services.tour_publish(tour=tour, by=request.auth,
                          override_reason=data.override_reason if data else "")
    return selectors.tour_get(tour_id=tour_id, user=request.auth)


@router.post("/stops/{stop_id}/complete", response={200: StopOut, **ERRORS})
def stop_complete(request: AuthedRequest, stop_id: RowId, data: CompleteIn):
    return services.stop_complete(stop_id=stop_id, rider=request.auth, **data.dict())


@router.post("/stops/{stop_id}/fail", response={200: StopOut, **ERRORS})
def stop_fail(request: AuthedRequest, stop_id: RowId, data: FailIn):
    return services.stop_fail(stop_id=stop_id, rider=request.auth, reason=data.reason)


# --- Dispatch console: background planning, adjusting, the running plan ---------------------


class DayIn(Schema):
    day: PlausibleDay
    town: str | None = TownSlug


class MoveIn(Schema):
    tour_id: RowId
    position: int = Field(ge=1, le=999)


class LockIn(Schema):
    locked: bool


class FeasibilityOut(Schema):
    ok: bool
    messages: list[str]


class InsertionRunOut(Schema):
    id: int
    town: str = Field(alias="town.slug")
    day: date
    status: str
    placed: int
    unassigned: int
    error: str


@router.get("/dispatch/day", response={200: dict, **ERRORS})
def dispatch_day(request: AuthedRequest, day: PlausibleDay, town: str | None = None):
    """The console's whole picture of a town's day; polled for live positions and statuses."""
    return selectors.dispatch_day(user=request.auth, town=town_for(request.auth, town), day=day)


@router.post("/dispatch/plan", response={202: PlanRunOut, **ERRORS})
def plan_background(request: AuthedRequest, data: PlanIn):
    """The console's name for `POST /plans`."""
    return plan(request, data)


@router.post("/stops/{stop_id}/move", response={200: FeasibilityOut, **ERRORS})
def stop_move(request: AuthedRequest, stop_id: RowId, data: MoveIn):
    return adjust.stop_move(stop_id=stop_id, by=request.auth, tour_id=data.tour_id,
                            position=data.position)


@router.post("/stops/{stop_id}/lock", response={200: StopOut, **ERRORS})
def stop_lock(request: AuthedRequest, stop_id: RowId, data: LockIn):
    return adjust.stop_lock(stop_id=stop_id, by=request.auth, locked=data.locked)


@router.post("/dispatch/insert", response={202: InsertionRunOut, **ERRORS})
def insert_open_legs(request: AuthedRequest, data: DayIn):
    """Queue the insertion of the day's new orders into the published tours, without
    reordering them; its state and outcome are in `GET /dispatch/day` (`insertion`, legs
    left out in `failures`). Refused (409) while one of the day is queued or running
    (`insert_running`) and before any tour is published (`no_running_plan`)."""
    return Status(202, running.insertion_start(town=town_for(request.auth, data.town),
                                               day=data.day, by=request.auth))


class RouteIn(Schema):
    route: str = Field(pattern=r"^(hub|direct)$",
                       description="hub: über das City-Depot, direct: vom Geschäft zur Tür")


@router.post("/legs/{leg_id}/route", response={200: list[LegOut], **ERRORS})
def leg_route(request: AuthedRequest, leg_id: RowId, data: RouteIn):
    """Send a packed order via the City-Depot or direct (its legs on no published tour are
    replaced); the answer is its new legs. Plan the day again afterwards."""
    return hub_routing.route_force(by=request.auth, leg_id=leg_id, route=data.route)


# --- The City-Depot: parcels in, deliveries sorted ------------------------------------------


class HubScanIn(Schema):
    label: str = Field(min_length=3, max_length=60,
                       description="Inhalt des Etikett-QR-Codes oder die Bestellnummer")
    town: str | None = TownSlug


class HubScanOut(Schema):
    order: str = Field(alias="order.number")
    parcel: int
    parcels: int = Field(alias="order.parcels")
    order_status: str = Field(alias="order.status")
    at: datetime


class SortIn(Schema):
    group: str = Field(min_length=3, max_length=60, description="die Sendung (Leg.group)")
    town: str | None = TownSlug


class SortedOut(Schema):
    released: int


@router.post("/hub/scans", response={201: HubScanOut, **ERRORS})
def hub_scan(request: AuthedRequest, data: HubScanIn):
    """A parcel arrives at the City-Depot; a second scan, another town's parcel or a
    cancelled order is refused (409) and changes nothing."""
    town = hub_desk.desk_town(request.auth, data.town)
    return Status(201, hub_desk.parcel_scan(by=request.auth, town=town, code=data.label))


@router.post("/hub/sorted", response={200: SortedOut, **ERRORS})
def hub_sorted(request: AuthedRequest, data: SortIn):
    """The delivery is sorted: its legs may leave the depot (409 while parcels are missing)."""
    town = hub_desk.desk_town(request.auth, data.town)
    return {"released": hub_desk.delivery_sort(by=request.auth, town=town, group=data.group)}


# --- Rider app: the offline outbox and positions --------------------------------------------


class ActionOut(Schema):
    key: str
    kind: str
    result: dict


class PositionIn(Schema):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: int | None = Field(default=None, ge=0, le=100_000)
    at: datetime | None = None


class PositionOut(Schema):
    lat: float
    lon: float
    at: datetime


@router.post("/rider/actions", response={200: ActionOut, **ERRORS})
def rider_action(request: AuthedRequest, key: Form[str], kind: Form[str], stop_id: Form[RowId],
                 data: Form[str] = "{}", at: Form[datetime | None] = None,
                 # ninja reads `= None` as optional; `| None` would alter the published schema
                 photo: File[UploadedFile] = None):  # type: ignore[assignment]
    """One queued action (`complete` or `fail`, fields in `data` as JSON), exactly once per
    `key`: a replay answers with the first outcome."""
    schema = CompleteIn if kind == "complete" else FailIn
    try:
        fields = schema.model_validate_json(data).dict()
    except ValidationError as exc:
        raise Invalid(f"Aktionsdaten ungültig: {exc.errors()[0]['msg']}", field="data") from exc
    action = rider_actions.rider_action_apply(rider=request.auth, key=key, kind=kind,
                                              stop_id=stop_id, data=fields, at=at, photo=photo)
    return {"key": action.key, "kind": action.kind,
            "result": rider_actions.rider_action_outcome(action)}


@router.post("/rider/positions", response={201: PositionOut, **ERRORS})
def rider_position(request: AuthedRequest, data: PositionIn):
    return Status(201, positions.position_record(rider=request.auth, **data.dict()))
