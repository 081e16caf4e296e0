from django.urls import path

from . import views

app_name = "hub"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("eingang/", views.scan, name="scan"),
    path("sortiert/", views.sort, name="sort"),
    path("zurueckstellen/", views.hold, name="hold"),
]
