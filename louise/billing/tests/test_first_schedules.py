"""A town's fees live only in its schedules: a new town starts with schedules made from the
LOUISE_FEE_* defaults, so it is never free by accident."""

from datetime import date

import pytest
from django.test import override_settings

from louise.accounts.models import Role
from louise.billing.fees import customer_fees_on, fee_for, merchant_fees_on
from louise.billing.models import CustomerFees
from louise.conftest import make_user
from louise.geo.models import Town
from louise.geo.towns import town_create

DEFAULTS = {"LOUISE_DELIVERY_FEES": {"door": 390, "point": 290, "locker": 250},
            "LOUISE_MERCHANT_FEE_CENTS": 50}


@pytest.mark.django_db
@override_settings(**DEFAULTS)
def test_a_new_town_is_charged_the_default_fees_from_its_first_day(town):
    region = make_user("region", Role.OPERATOR, all_towns=True, town_ids=[])
    # when
    founded = town_create(by=region, name="Gladbeck")
    # then
    today = date(2026, 12, 1)
    customer = customer_fees_on(founded, today)
    assert customer is not None
    assert (customer.door_cents, customer.point_cents, customer.locker_cents,
            customer.service_cents) == (390, 290, 250, 390)
    assert fee_for(customer, method="locker", basket_cents=1500, day=today) == 250
    merchant = merchant_fees_on(founded, None, today)
    assert merchant is not None and merchant.per_order_cents == 50
    assert CustomerFees.objects.filter(town=founded).count() == 1


def test_the_town_keeps_no_fees_of_its_own():
    assert not [f.name for f in Town._meta.get_fields()
                if f.name.startswith("fee_") or f.name == "merchant_fee_cents"]
