"""The operator's console, under /betrieb/ (names in the `web` namespace)."""

from django.urls import include, path

from . import audit, merchants, people, report, views

urlpatterns = [
    path("", views.home, name="operator_home"),
    path("texte/<str:kind>/", views.legal_edit, name="operator_legal"),
    path("leute/", people.people_page, name="operator_people"),
    path("leute/<int:person_id>/zugang/", people.person_access, name="operator_person_access"),
    path("leute/<int:person_id>/entfernen/", people.person_remove,
         name="operator_person_remove"),
    path("geschaefte/", merchants.merchant_list, name="operator_merchants"),
    path("geschaefte/neu/", merchants.merchant_new, name="operator_merchant_new"),
    path("geschaefte/adressen.json", merchants.address_suggestions,
         name="operator_address_suggestions"),
    path("geschaefte/<int:merchant_id>/", merchants.merchant_page, name="operator_merchant"),
    path("geschaefte/<int:merchant_id>/status/", merchants.merchant_status,
         name="operator_merchant_status"),
    path("geschaefte/<int:merchant_id>/einkaufsservice/", merchants.merchant_shopping,
         name="operator_merchant_shopping"),
    path("geschaefte/<int:merchant_id>/team/<int:user_id>/zugang/", merchants.staff_access,
         name="operator_staff_access"),
    path("protokoll/", audit.audit_page, name="operator_audit"),
    path("bericht/", report.report_page, name="operator_report"),
    path("bericht/grafik/<slug:key>.svg", report.report_chart, name="operator_report_chart"),
    *(path(f"bericht/bericht.{ext}", report.report_file, {"ext": ext},
           name=f"operator_report_{ext}") for ext in report.FILES),
    path("flotte/", include("louise.web.operator.fleet_urls")),
    path("geld/", include("louise.web.operator.money_urls")),
    path("", include("louise.web.operator.places_urls")),
]
