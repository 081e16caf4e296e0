"""Upgrading a database from before towns: every existing row goes to one town made from the
settings, and nothing is lost."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from louise.core.calendar import BERLIN

BEFORE = [("geo", "0006_locker_credential_failed_opens"), ("catalog", "0004_photos_random_names"),
          ("orders", "0007_item_photo_random_name"),
          ("logistics", "0005_publish_override_and_insertion_failure"),
          ("accounts", "0002_notificationpreferences")]
AFTER = [("geo", "0007_towns"), ("catalog", "0005_merchant_town"), ("orders", "0008_towns"),
         ("logistics", "0006_towns_shift_patterns"), ("accounts", "0003_region_staff_audit")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_go_to_one_town_made_from_the_settings(settings):
    settings.LOUISE_DEFAULT_TOWN = "Bottrop"
    settings.LOUISE_WAVE_START = "17:00"
    old = _migrate(BEFORE)
    zone = old.get_model("geo", "Zone").objects.create(name="Mitte", postcodes=["46236"],
                                                       vehicle_kinds=["bike"])
    hub = old.get_model("geo", "Hub").objects.create(
        name="City-Station", street="Altmarkt 4", postcode="46236", lat=51.52, lon=6.93)
    merchant = old.get_model("catalog", "Merchant").objects.create(
        name="Buchladen", slug="buchladen", category="books", street="Hochstr. 1",
        postcode="46236", lat=51.52, lon=6.93)
    vehicle = old.get_model("logistics", "Vehicle").objects.create(
        name="Rad 1", kind="bike", hub=hub, capacity_g=1, capacity_ml=1, capacity_parcels=1,
        range_km=1)
    run = old.get_model("logistics", "PlanRun").objects.create(
        day=datetime(2026, 11, 30, tzinfo=BERLIN).date(), status="done")

    new = _migrate(AFTER)
    Town = new.get_model("geo", "Town")
    town = Town.objects.get()
    assert (town.name, town.wave_start.strftime("%H:%M")) == ("Bottrop", "17:00")
    for (app, name), pk in [(("geo", "Zone"), zone.pk), (("geo", "Hub"), hub.pk),
                             (("catalog", "Merchant"), merchant.pk),
                             (("logistics", "Vehicle"), vehicle.pk),
                             (("logistics", "PlanRun"), run.pk)]:
        assert new.get_model(app, name).objects.get(pk=pk).town_id == town.pk, name
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())  # leave the schema as the other tests expect
