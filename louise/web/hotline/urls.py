"""The hotline console, under /hotline/ (names in the `web` namespace)."""

from django.urls import path

from . import standing, views

urlpatterns = [
    path("", views.home, name="hotline_home"),
    path("kunden/<int:customer_id>/", views.caller, name="hotline_caller"),
    path("kunden/<int:customer_id>/bestellen/", views.caller_order, name="hotline_order"),
    path("kunden/<int:customer_id>/dienstleistung/", views.caller_service,
         name="hotline_service"),
    path("kunden/<int:customer_id>/einkaufszettel/", views.caller_shopping,
         name="hotline_shopping"),
    path("kunden/<int:customer_id>/rechnung/", views.invoice_payment, name="hotline_invoice"),
    path("kunden/<int:customer_id>/bestellungen/<str:number>/einkauf/", views.purchase_answer,
         name="hotline_purchase"),
    path("kunden/<int:customer_id>/anruf/", views.call_note, name="hotline_call"),
    path("kunden/<int:customer_id>/mandat/", views.paper_mandate, name="hotline_mandate"),
    path("kunden/<int:customer_id>/mandat.pdf", views.mandate_form,
         name="hotline_mandate_form"),
    path("kunden/<int:customer_id>/ruecklastschriften/", views.returns_clear,
         name="hotline_returns_clear"),
    path("kunden/<int:customer_id>/bestellungen/<str:number>/stornieren/", views.order_cancel,
         name="hotline_cancel"),
    path("kunden/<int:customer_id>/bestellungen/<str:number>/umplanen/", views.order_move,
         name="hotline_move"),
    path("kunden/<int:customer_id>/dauerauftrag/", standing.standing_new,
         name="hotline_standing_new"),
    path("dauerauftraege/<int:standing_id>/", standing.standing_page, name="hotline_standing"),
    path("dauerauftraege/<int:standing_id>/termin/", standing.standing_date,
         name="hotline_standing_date"),
    path("rueckrufe/<int:call_id>/erledigt/", views.follow_up_done, name="hotline_done"),
]
