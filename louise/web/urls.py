from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    # gettext/ngettext for the pages' scripts (German plurals: 1 Tour, 2 Touren)
    path("jsi18n/", JavaScriptCatalog.as_view(), name="jsi18n"),
    path("laden/", include("louise.web.backoffice.urls")),
    path("dispo/", include("louise.web.dispatch.urls")),
    path("fahrer/", include("louise.web.rider.urls")),
    path("", include("louise.web.shop.urls")),
]
