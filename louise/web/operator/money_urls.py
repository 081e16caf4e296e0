"""The console's money pages, under /betrieb/geld/."""

from django.urls import path

from . import money

urlpatterns = [
    path("", money.fees_page, name="operator_money"),
    path("einzug/", money.runs_page, name="operator_money_runs"),
    path("einzug/<int:collection_id>/", money.run_page, name="operator_money_run"),
    path("einzug/<int:collection_id>/lastschriften.xml", money.run_file,
         name="operator_money_run_file"),
    path("einzug/<int:collection_id>/vorabankuendigungen.pdf", money.run_letters,
         name="operator_money_run_letters"),
    path("einzug/<int:collection_id>/vorabankuendigungen/versandt/", money.run_letters_sent,
         name="operator_money_run_letters_sent"),
    path("einzug/<int:collection_id>/lastschrift/<int:debit_id>/zurueck/", money.debit_return,
         name="operator_money_debit_return"),
    path("ruecklastschriften/", money.returns_page, name="operator_money_returns"),
    path("ruecklastschriften/kunden/<int:customer_id>/klaeren/", money.returns_clear_view,
         name="operator_money_returns_clear"),
    path("abrechnungen/", money.statements_page, name="operator_money_statements"),
    path("rechnungen/<int:invoice_id>.pdf", money.invoice_pdf, name="operator_money_invoice"),
    path("rechnungen/<int:invoice_id>/storno/", money.invoice_cancel_view,
         name="operator_money_invoice_cancel"),
    path("rechnungskunden/", money.invoice_payers_page, name="operator_money_payers"),
    path("kundenrechnungen/<int:invoice_id>.pdf", money.customer_invoice_pdf,
         name="operator_money_customer_invoice"),
    path("auszahlungen/<int:payout_id>.xml", money.payout_file, name="operator_money_payout"),
]
