"""The fleet pages of the operator's console, under /betrieb/flotte/ (names in `web`)."""

from django.urls import path

from . import fleet

urlpatterns = [
    path("", fleet.fleet_page, name="operator_fleet"),
    path("schichten-anlegen/", fleet.shifts_make, name="operator_shifts_make"),
    path("fahrzeuge/neu/", fleet.vehicle_edit, name="operator_vehicle_new"),
    path("fahrzeuge/<int:vehicle_id>/", fleet.vehicle_edit, name="operator_vehicle"),
    path("schichtmuster/neu/", fleet.pattern_edit, name="operator_pattern_new"),
    path("schichtmuster/<int:pattern_id>/", fleet.pattern_edit, name="operator_pattern"),
    path("schichtmuster/<int:pattern_id>/aktiv/", fleet.pattern_active,
         name="operator_pattern_active"),
    path("schichtmuster/<int:pattern_id>/ausnahmen/", fleet.exception_add,
         name="operator_exception_add"),
    path("ausnahmen/<int:exception_id>/loeschen/", fleet.exception_delete,
         name="operator_exception_delete"),
]
