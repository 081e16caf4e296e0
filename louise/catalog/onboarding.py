"""The operator takes a shop on and off LOUISE: onboarding (the shop must lie in an active
zone of the operator's town, so riders can fetch from it), pausing and resuming.

A paused shop (`Merchant.active` off) disappears from the catalogue and takes no new orders;
its open orders go on as usual and its staff keep their back office. Every change is
audited in the same transaction.
"""

from django.db import transaction
from django.db.models import Q

from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import Role, User
from louise.core.errors import Invalid
from louise.core.german import slug
from louise.geo.models import Town
from louise.geo.selectors import town_for, zone_serving_at

from .models import Merchant
from .selectors import merchant_for_operator
from .services import merchant_create


@transaction.atomic
def merchant_onboard(*, by: User, town: Town, name: str, category: str, street: str,
                     postcode: str, lat: float, lon: float, city: str = "", district: str = "",
                     opening_hours: dict | None = None) -> Merchant:
    """A new shop of `town` (one of the operator's), active at once; its owner is invited
    next (`catalog.invitations.owner_invitation_create`)."""
    town = town_for(by, town.slug, roles=(Role.OPERATOR,))
    name = name.strip()
    if not name:
        raise Invalid("Bitte den Namen des Geschäfts angeben.", field="name")
    if Merchant.objects.filter(Q(name__iexact=name) | Q(slug=slug(name))).exists():
        raise Invalid(f"Ein Geschäft namens „{name}“ gibt es schon.", field="name")
    if zone_serving_at(town, postcode=postcode, lat=lat, lon=lon) is None:
        raise Invalid(f"Diese Adresse liegt in keiner aktiven Zone von {town.name}: Von dort "
                      "kann LOUISE nicht abholen.", field="street")
    merchant = merchant_create(name=name, category=category, street=street.strip(),
                               postcode=postcode, lat=lat, lon=lon, district=district,
                               city=city.strip() or town.name, opening_hours=opening_hours,
                               town=town)
    audit_record(by=by, action="angelegt", obj=merchant)
    return merchant


def _merchant_flag_set(*, by: User, merchant_id: int, field: str, value: bool,
                       action: str) -> Merchant:
    merchant = merchant_for_operator(user=by, merchant_id=merchant_id)
    before = snapshot(merchant)
    setattr(merchant, field, value)
    merchant.save(update_fields=[field])
    audit_record(by=by, action=action, obj=merchant, before=before)
    return merchant


@transaction.atomic
def merchant_active_set(*, by: User, merchant_id: int, active: bool) -> Merchant:
    """Pause a shop (hidden from the catalogue, open orders go on) or resume it."""
    return _merchant_flag_set(by=by, merchant_id=merchant_id, field="active", value=active,
                              action="fortgesetzt" if active else "pausiert")


@transaction.atomic
def merchant_shopping_set(*, by: User, merchant_id: int, on: bool) -> Merchant:
    """The operator offers the shopping-list service in this store ("Einkaufsservice"), or
    stops it (lists already given are still bought)."""
    return _merchant_flag_set(by=by, merchant_id=merchant_id, field="shopping_service",
                              value=on, action="Einkaufsservice an" if on
                              else "Einkaufsservice aus")
