"""What the hotline console needs to show in the demo: callers without e-mail made on the
phone (with paper mandates), a call with a follow-up due today, and a senior centre's
standing delivery on Tuesdays and Fridays — all made through the hotline's services, by
the town's agent."""

from datetime import datetime, timedelta
from types import ModuleType

from django.db import transaction
from django.utils import timezone

from louise.accounts.models import User
from louise.catalog.models import Merchant
from louise.geo.models import Town
from louise.hotline import services, standing
from louise.hotline.models import HolidayRule, StandingOrder
from louise.orders.checkout import LineRequest

IBAN = "DE89370400440532013000"
TUESDAY, FRIDAY = 1, 4


@transaction.atomic
def seed_hotline(data: ModuleType, town: Town, agent: User, now: datetime) -> list[str]:
    """Once per town: callers, a call to return today, a standing delivery (its later dates
    are booked by the nightly `louise standing`)."""
    if StandingOrder.objects.filter(town=town).exists():
        return []
    today = timezone.localdate(now)
    district = next(iter(data.STREETS))
    postcode = data.DISTRICTS[district][0]
    streets = [row[0] for row in data.STREETS[district]]
    callers = []
    for (first, last, phone), street in zip(data.HOTLINE_CALLERS, streets, strict=False):
        made = services.caller_create(agent=agent, town=town, first_name=first,
                                      last_name=last, phone=phone, street=f"{street} 3",
                                      postcode=postcode)
        services.paper_mandate_record(agent=agent, town=town, customer_id=made.customer.pk,
                                      holder=f"{first} {last}", iban=IBAN,
                                      received_on=today - timedelta(days=2), today=today)
        callers.append(made.customer)
    services.call_record(agent=agent, town=town, customer_id=callers[0].pk, reason="question",
                         notes="Fragt, ob die Apotheke auch liefert. Zurückrufen.",
                         follow_up_on=today, today=today)
    centre = callers[-1]
    merchant = (Merchant.objects.filter(town=town, products__isnull=False).distinct()
                .order_by("name").first())
    assert merchant is not None  # the town's shops are seeded first
    products = list(merchant.products.order_by("name")[:2])
    weekly = standing.standing_create(
        agent=agent, town=town, customer_id=centre.pk, name=centre.display_name,
        address_id=centre.addresses.get().pk, weekdays=[TUESDAY, FRIDAY],
        lines=[LineRequest(p.pk, 1) for p in products],
        recipients=[standing.Recipient(name, room) for name, room in data.STANDING_RECIPIENTS],
        starts_on=today, holidays=HolidayRule.AFTER, today=today)
    booked = [r for r in standing.standing_generate(standing=weekly, now=now)
              if r.checkout is not None]
    return [f"Hotline: {len(callers)} Anrufer ohne E-Mail, ein Rückruf für heute, "
            f"Dauerauftrag „{weekly.name}“ (Di und Fr, {len(booked)} Termine gebucht)"]
