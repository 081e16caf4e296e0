"""The operator's console, under /betrieb/ (names in the `web` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="operator_home"),
    path("texte/<str:kind>/", views.legal_edit, name="operator_legal"),
]
