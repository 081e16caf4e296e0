"""The town and its places in the operator's console (views in places.py): /betrieb/stadt/,
hubs/, zonen/, abholstellen/, paketstationen/."""

from django.urls import path

from . import places

urlpatterns = [
    path("stadt/", places.town_settings, name="operator_town"),
    path("stadt/neu/", places.town_create, name="operator_town_create"),
    path("stadt/team/", places.town_team, name="operator_team"),
    path("hubs/", places.hubs, name="operator_hubs"),
    path("hubs/neu/", places.hub_edit, name="operator_hub_new"),
    path("hubs/<int:pk>/", places.hub_edit, name="operator_hub"),
    path("zonen/", places.zones, name="operator_zones"),
    path("zonen/neu/", places.zone_edit, name="operator_zone_new"),
    path("zonen/<int:pk>/", places.zone_edit, name="operator_zone"),
    path("zonen/<int:pk>/schalten/", places.zone_switch, name="operator_zone_switch"),
    path("abholstellen/", places.points, name="operator_points"),
    path("abholstellen/neu/", places.point_edit, name="operator_point_new"),
    path("abholstellen/<int:pk>/", places.point_edit, name="operator_point"),
    path("paketstationen/", places.lockers, name="operator_lockers"),
    path("paketstationen/neu/", places.locker_edit, name="operator_locker_new"),
    path("paketstationen/<int:pk>/", places.locker_edit, name="operator_locker"),
    path("paketstationen/<int:pk>/faecher/", places.compartments_add,
         name="operator_compartments_add"),
    path("paketstationen/fach/<int:pk>/entfernen/", places.compartment_remove,
         name="operator_compartment_remove"),
    path("paketstationen/fach/<int:pk>/schalten/", places.compartment_switch,
         name="operator_compartment_switch"),
]
