"""Today's fees of every town (its fee fields) become its first schedules, valid since ever,
and the orders placed so far keep them as the schedules they were placed under."""

from datetime import date

from django.db import migrations

SINCE_EVER = date(2000, 1, 1)


def forwards(apps, schema_editor) -> None:
    Town = apps.get_model("geo", "Town")
    CustomerFees = apps.get_model("billing", "CustomerFees")
    MerchantFees = apps.get_model("billing", "MerchantFees")
    Order = apps.get_model("orders", "Order")
    for town in Town.objects.all():
        customer = CustomerFees.objects.create(
            town=town, valid_from=SINCE_EVER, door_cents=town.fee_door_cents,
            point_cents=town.fee_point_cents, locker_cents=town.fee_locker_cents,
            service_cents=town.fee_door_cents)  # a service's round trip cost the door fee
        merchant = MerchantFees.objects.create(town=town, valid_from=SINCE_EVER,
                                               per_order_cents=town.merchant_fee_cents)
        Order.objects.filter(town=town).update(customer_fees=customer, merchant_fees=merchant)


def backwards(apps, schema_editor) -> None:
    apps.get_model("orders", "Order").objects.update(customer_fees=None, merchant_fees=None)
    apps.get_model("billing", "CustomerFees").objects.all().delete()
    apps.get_model("billing", "MerchantFees").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_fees_ledger_collection"),
        ("orders", "0010_fee_schedules_in_force"),
        ("geo", "0008_places_zone_area_compartment_out_of_service"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
