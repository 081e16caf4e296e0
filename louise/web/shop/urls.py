from django.urls import path

from . import account, basket, catalog, orders

app_name = "shop"
urlpatterns = [
    path("geschaefte/", catalog.shops, name="shops"),
    path("geschaefte/<slug:slug>/", catalog.shop_detail, name="shop"),
    path("suche/", catalog.search, name="search"),
    path("warenkorb/", basket.basket, name="basket"),
    path("warenkorb/hinzufuegen/", basket.basket_add, name="basket_add"),
    path("warenkorb/aendern/", basket.basket_update, name="basket_update"),
    path("kasse/", orders.checkout, name="checkout"),
    path("einkauf/<str:reference>/", orders.checkout_done, name="checkout_done"),
    path("dienstleistungen/<int:service_id>/buchen/", orders.service_book, name="service_book"),
    path("bestellungen/", orders.order_list, name="orders"),
    path("bestellungen/<str:number>/", orders.order_detail, name="order"),
    path("bestellungen/<str:number>/live/", orders.order_live, name="order_live"),
    path("bestellungen/<str:number>/stornieren/", orders.order_cancel_view, name="order_cancel"),
    path("bestellungen/<str:number>/umplanen/", orders.order_reschedule_view,
         name="order_reschedule"),
    path("bestellungen/<str:number>/nochmal/", orders.order_reorder, name="order_reorder"),
    path("bestellungen/<str:number>/angebot/", orders.order_quote_answer, name="order_quote"),
    path("bestellungen/<str:number>/rueckgabe/", orders.order_return_view, name="order_return"),
    path("konto/registrieren/", account.register, name="register"),
    path("konto/", account.account, name="account"),
    path("konto/profil/", account.profile, name="profile"),
    path("konto/bezahlung/", account.payment, name="payment"),
    path("konto/adressen/neu/", account.address_new, name="address_new"),
    path("konto/adressen/<int:address_id>/entfernen/", account.address_remove_view,
         name="address_remove"),
    path("konto/daten.json", account.data_export, name="data_export"),
    path("konto/loeschen/", account.account_delete, name="account_delete"),
    path("konto/loeschen/bestaetigen/", account.account_delete_confirm,
         name="account_delete_confirm"),
]
