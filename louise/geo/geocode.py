"""Where an address lies, without an external geocoding service.

LOUISE runs without network access to a geocoder, so it asks its own gazetteer (streets and
houses imported from OpenStreetMap, `osm_import`). A street the gazetteer does not know in a
postcode it covers is refused with a message the person can act on: a made-up position
would send a rider to the wrong end of town. Only where no streets were imported at all (an
address outside the town, kept to offer the nearest pickup point) does the address fall
back to the postcode's centre, labelled as such (`Precision.POSTCODE`).
"""

from statistics import fmean

from django.apps import apps

from louise.core.errors import Invalid

from .gazetteer import parse_query
from .models import Hub, Place
from .selectors import (
    Location,
    Precision,
    address_lookup,
    gazetteer_covers,
    gazetteer_postcode_centre,
)


def position_for_address(*, street: str, postcode: str, city: str = "",
                         fallback: tuple[float, float] | None = None,
                         accept_unknown_street: bool = False) -> Location:
    """A house's position from "Gartenstraße 5a" and its postcode: the gazetteer's answer
    (exact or flagged approximate), an `Invalid` for an unknown street where the gazetteer
    covers the postcode — unless the person confirmed the street (`accept_unknown_street`:
    a new street the map lacks), then the postcode's centre labelled
    `Precision.UNKNOWN_STREET` for the operator to check — else `fallback` (a position the
    caller already has) or the postcode's centre, both labelled `Precision.POSTCODE`."""
    typed = parse_query(street)
    if gazetteer_covers(postcode):
        try:
            return address_lookup(street=typed.street, housenumber=typed.housenumber,
                                  postcode=postcode)
        except Invalid as exc:
            if exc.code != "street_not_found" or not accept_unknown_street:
                raise
            lat, lon = position_for_postcode(postcode)
            return Location(typed.street, typed.housenumber, postcode, city, "", lat, lon,
                            Precision.UNKNOWN_STREET)
    lat, lon = fallback or position_for_postcode(postcode)
    return Location(typed.street, typed.housenumber, postcode, city, "", lat, lon,
                    Precision.POSTCODE)


def position_for_postcode(postcode: str) -> tuple[float, float]:
    """The centre of a postcode: of its gazetteer streets, else of the places known in it
    (shops, points, addresses), else the hub's. Coarse on purpose where it is used alone:
    an erased customer's address keeps only this."""
    if centre := gazetteer_postcode_centre(postcode):
        return centre
    known = [position for model in apps.get_models() if issubclass(model, Place)
             for position in model._default_manager.filter(postcode=postcode)
             .values_list("lat", "lon")[:200]]
    if known:
        return round(fmean(p[0] for p in known), 6), round(fmean(p[1] for p in known), 6)
    hub = Hub.objects.order_by("pk").first()
    if hub is None:
        raise Invalid("Diese Adresse können wir noch nicht finden.", field="postcode")
    return hub.lat, hub.lon
