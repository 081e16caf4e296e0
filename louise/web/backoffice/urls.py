"""The back office, mounted at /laden/."""

from django.urls import path

from louise.web.invitation import join_page

from .views import catalog, counter, orders, reports, shop, team

app_name = "backoffice"
urlpatterns = [
    path("", orders.inbox_page, name="inbox"),
    path("eingang.json", orders.inbox_poll, name="inbox_poll"),
    path("bestellungen/", orders.order_list, name="orders"),
    path("bestellungen/<str:number>/", orders.order_page, name="order"),
    path("bestellungen/<str:number>/annehmen/", orders.order_accept, name="order_accept"),
    path("bestellungen/<str:number>/ablehnen/", orders.order_decline, name="order_decline"),
    path("bestellungen/<str:number>/fertig/", orders.order_ready, name="order_ready"),
    path("bestellungen/<str:number>/etikett.pdf", orders.order_label, name="order_label"),
    path("bestellungen/<str:number>/eingang/", orders.order_intake, name="order_intake"),
    path("bestellungen/<str:number>/befund/", orders.order_inspect, name="order_inspect"),
    path("annahme/", orders.intake_scan, name="intake"),
    path("lieferung/", counter.counter_page, name="counter"),
    path("lieferung/adressen.json", counter.address_suggestions, name="address_suggestions"),
    path("katalog/", catalog.catalog_page, name="catalog"),
    path("katalog/produkt/neu/", catalog.product_edit, name="product_new"),
    path("katalog/produkt/<int:product_id>/", catalog.product_edit, name="product"),
    path("katalog/dienstleistung/neu/", catalog.service_edit, name="service_new"),
    path("katalog/dienstleistung/<int:service_id>/", catalog.service_edit, name="service"),
    path("katalog/export.csv", catalog.catalog_csv, name="catalog_csv"),
    path("katalog/import/", catalog.catalog_upload, name="catalog_import"),
    path("profil/", shop.profile_page, name="profile"),
    path("profil/sonderzeiten/", shop.exception_add, name="exception_add"),
    path("profil/sonderzeiten/<int:exception_id>/loeschen/", shop.exception_delete,
         name="exception_delete"),
    path("profil/fotos/", shop.photo_add, name="photo_add"),
    path("profil/fotos/<int:photo_id>/loeschen/", shop.photo_delete, name="photo_delete"),
    path("profil/knopf/", shop.button_page, name="button"),
    path("umsatz/", reports.turnover_page, name="turnover"),
    path("umsatz.csv", reports.turnover_export, name="turnover_csv"),
    path("rechnungen/<int:invoice_id>.pdf", reports.invoice_pdf, name="invoice_pdf"),
    path("team/", team.team_page, name="team"),
    path("team/<int:user_id>/zugang/", team.staff_access, name="staff_access"),
    # Public: staff links made before /einladung/ served every kind of invitation.
    path("einladung/<str:token>/", join_page, name="join"),
    path("zu/<slug:slug>/", shop.shop_redirect, name="shop_link"),
]
