from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.i18n import JavaScriptCatalog

from louise.accounts.passwords import QueuedPasswordResetForm

from . import views
from .invitation import join_page
from .models import LegalKind

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    # Our own template names: the admin app ships English ones under registration/.
    path("konto/passwort/", auth_views.PasswordChangeView.as_view(
        template_name="web/password_change_form.html",
        success_url=reverse_lazy("web:password_change_done")), name="password_change"),
    path("konto/passwort/geaendert/", auth_views.PasswordChangeDoneView.as_view(
        template_name="web/password_change_done.html"), name="password_change_done"),
    path("konto/passwort-vergessen/", auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm, template_name="web/password_reset_form.html",
        email_template_name="web/password_reset_email.txt",
        subject_template_name="web/password_reset_subject.txt",
        success_url=reverse_lazy("web:password_reset_done")), name="password_reset"),
    path("konto/passwort-vergessen/gesendet/", auth_views.PasswordResetDoneView.as_view(
        template_name="web/password_reset_done.html"), name="password_reset_done"),
    path("konto/passwort-neu/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="web/password_reset_confirm.html",
        success_url=reverse_lazy("web:password_reset_complete")),
        name="password_reset_confirm"),
    path("konto/passwort-neu/fertig/", auth_views.PasswordResetCompleteView.as_view(
        template_name="web/password_reset_complete.html"), name="password_reset_complete"),
    path("start/", views.start, name="start"),
    path("einladung/<str:token>/", join_page, name="join"),
    path("favicon.ico", views.favicon),
    *[path(f"{kind}/", views.legal, {"kind": kind}, name=f"legal_{kind}")
      for kind in LegalKind.values],
    path("betrieb/", include("louise.web.operator.urls")),
    # gettext/ngettext for the pages' scripts (German plurals: 1 Tour, 2 Touren)
    path("jsi18n/", JavaScriptCatalog.as_view(), name="jsi18n"),
    path("laden/", include("louise.web.backoffice.urls")),
    path("dispo/", include("louise.web.dispatch.urls")),
    path("fahrer/", include("louise.web.rider.urls")),
    path("depot/", include("louise.web.hub.urls")),
    path("hotline/", include("louise.web.hotline.urls")),
    path("", include("louise.web.shop.urls")),
]
