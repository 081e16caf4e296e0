"""How long a rider spends at a stop, as a new town starts: its operator changes them in
`/betrieb/stadt/` (`Town.stop_*_s`, read as one `StopTimes` through `Town.stop_times`).

A leg stores its own service seconds when it is made (`logistics.legs`), so a changed
setting applies to new legs; the planning bridge reads the shared part of the town at
planning time. All defaults are estimates, not measurements: a depot that measures its own
stops should enter them.

- Pickup (`PICKUP_S`, 2 min): handing a parcel over a shop's counter, the usual pickup.
- Drop (`DROP_S`, 3 min): handing it over at a door, a pickup point or a locker, the usual
  drop (with a signature or the locker's compartment).
- Shared (`SHARED_S`, 90 s) of a stop at a shop, a door, a pickup point or a locker is
  meeting someone there once: ringing or finding the shop assistant, greeting, a
  signature, the locker's login. Stops one after the other at one place share it, each
  parcel then takes only the rest of its own time (30 s at a counter, 90 s at a door): a
  round that fetches ten parcels from one shop spends 6.5 minutes there, not 20. It is a
  part of a stop, so it may not be longer than the pickup, the drop or the purchase.
- Hub (`HUB_S`, 30 s): at the City-Station the rider meets neither a customer nor a
  shop's counter: the depot's staff scan the goods in at the bay and hand them out sorted
  by tour and stop (`logistics.hub_desk`), so a leg's stop there is a scan and a place in
  the box. At 2 and 3 minutes a bike spent about 5 minutes of its shift per parcel
  through the hub, a sixth of its hours on the 500-leg day (docs/planning.md).
- Shopping (`SHOPPING_S`, 20 min): a shopper buys a list in the store, walking the aisles
  and the till, at the leg's pickup instead of a parcel handed over the counter.
- Depot (`DEPOT_S`, 3 min): not a rider's stop but the depot staff's work on a parcel
  between the bays: scanning it in, shelving it, picking it for its evening tour. The
  planner does not schedule it; `logistics.hub_routing.hub_pays` weighs it when it decides
  whether a parcel pays its way through the hub (at 2 minutes the test town's shop 200 m
  from the hub would send everything there; at 3 it stays direct).
"""

from dataclasses import dataclass
from datetime import timedelta

PICKUP_S = 120
DROP_S = 180
SHARED_S = 90
HUB_S = 30
SHOPPING_S = 20 * 60
DEPOT_S = 180
# A stop of more than an hour is a mistyped figure.
STOP_MOST_S = 3600


@dataclass(frozen=True)
class StopTimes:
    """A town's times per stop: `pickup` and `drop` of a leg (at a shop's counter, at a door,
    point or locker), of them `shared` once per visit of a place, `hub` at the depot's bay
    (either end), `shopping` a shopper's purchase (the pickup of a shopping list); `depot`
    the staff's handling of a parcel inside the depot."""

    pickup: timedelta
    drop: timedelta
    shared: timedelta
    hub: timedelta
    shopping: timedelta
    depot: timedelta
