from django.urls import path

from . import views

app_name = "rider"
urlpatterns = [
    path("", views.today, name="today"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("einkauf/<str:number>/", views.shopping, name="shopping"),
]
