"""A town's fees are its billing schedules (billing's 0003 made the first ones from these
columns), so the columns go; a new town gets its first schedules from the LOUISE_FEE_*
settings (`billing.fees.first_schedules`)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0010_town_hub_collection_and_sorting'),
        ('billing', '0003_first_fee_schedules'),  # read them first
    ]

    operations = [
        migrations.RemoveField(
            model_name='town',
            name='fee_door_cents',
        ),
        migrations.RemoveField(
            model_name='town',
            name='fee_locker_cents',
        ),
        migrations.RemoveField(
            model_name='town',
            name='fee_point_cents',
        ),
        migrations.RemoveField(
            model_name='town',
            name='merchant_fee_cents',
        ),
    ]
