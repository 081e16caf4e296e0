"""The operator's page of customers who pay by invoice: allowed by username (audited),
their orders invoiced with the button, each invoice a PDF; nothing of another town."""

from louise.accounts.models import AuditEntry, Role
from louise.billing.models import InvoicePayer, SepaMandate
from louise.billing.services import creditor_save
from louise.billing.tests.conftest import CREDITOR_IBAN, CREDITOR_ID
from louise.conftest import MONDAY_MORNING, make_user, order_placed, other_town, the_town


def test_the_operator_allows_invoices_issues_them_and_another_town_sees_none(
        shop, customer, staff_users, as_user):
    person = customer[0]
    SepaMandate.objects.filter(customer=person).delete()
    operator = staff_users[Role.OPERATOR]
    creditor_save(by=operator, town_id=the_town().pk, creditor_name="LOUISE Bottrop",
                  creditor_id=CREDITOR_ID, iban=CREDITOR_IBAN, bic="BYLADEM1001")
    stadt = as_user(operator)
    typo = stadt.post("/betrieb/geld/rechnungskunden/", {"action": "allow",
                                                         "username": "niemand"}, follow=True)
    assert "„niemand“ gibt es in" in typo.content.decode()
    stadt.post("/betrieb/geld/rechnungskunden/", {"action": "allow",
                                                  "username": person.username})
    assert InvoicePayer.objects.filter(customer=person).exists()
    assert AuditEntry.objects.filter(action="Rechnung erlaubt", by=operator).exists()
    order_placed(person, shop["product"], now=MONDAY_MORNING)
    stadt.post("/betrieb/geld/rechnungskunden/", {"action": "issue"})
    page = stadt.get("/betrieb/geld/rechnungskunden/").content.decode()
    assert "KR-" in page and person.display_name in page
    invoice = person.invoices.get()
    pdf = stadt.get(f"/betrieb/geld/kundenrechnungen/{invoice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    town2 = other_town()
    elsewhere = as_user(make_user("stadt9", Role.OPERATOR, town_ids=[town2.pk]))
    assert elsewhere.get(f"/betrieb/geld/kundenrechnungen/{invoice.pk}.pdf").status_code == 404
    assert person.username not in elsewhere.get("/betrieb/geld/rechnungskunden/").content.decode()
    elsewhere.post("/betrieb/geld/rechnungskunden/", {"action": "revoke",
                                                      "customer": person.pk})
    assert InvoicePayer.objects.filter(customer=person).exists()


def test_revoking_with_a_customer_that_is_no_number_is_refused_not_a_crash(staff_users,
                                                                         as_user):
    stadt = as_user(staff_users[Role.OPERATOR])
    answer = stadt.post("/betrieb/geld/rechnungskunden/", {"action": "revoke",
                                                           "customer": "abc"})
    assert answer.status_code == 404
