"""Where an address lies, approximately, without an external geocoding service.

LOUISE runs on a laptop without network access to a geocoder, so a new address is placed
at the centre of the places already known in its postcode (shops, the hub, pickup points,
lockers, other addresses). That is good enough for planning a cargo-bike tour in a town
(postcodes are a few km² each) and is replaced by the rider's correction or a geocoder later.
"""

from statistics import fmean

from louise.catalog.models import Merchant
from louise.core.errors import Invalid

from .models import Address, Hub, Locker, PickupPoint


def position_for_postcode(postcode: str) -> tuple[float, float]:
    """The mean position of known places in the postcode, else the hub's (the town centre)."""
    known = [position for model in (Merchant, Hub, PickupPoint, Locker, Address)
             for position in model.objects.filter(postcode=postcode)
             .values_list("lat", "lon")[:200]]
    if known:
        return round(fmean(p[0] for p in known), 6), round(fmean(p[1] for p in known), 6)
    hub = Hub.objects.order_by("pk").first()
    if hub is None:
        raise Invalid("Diese Adresse können wir noch nicht finden.", field="postcode")
    return hub.lat, hub.lon
