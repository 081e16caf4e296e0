from django.urls import path

from . import shifts, views

app_name = "dispatch"
urlpatterns = [
    path("", views.console, name="console"),
    path("weg/", views.route, name="route"),
    path("schichten/", shifts.shifts_page, name="shifts"),
    path("schichten/<int:shift_id>/", shifts.shift_edit, name="shift"),
    path("schichten/<int:shift_id>/loeschen/", shifts.shift_delete, name="shift_delete"),
]
