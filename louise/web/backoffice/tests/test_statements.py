"""The shop's turnover page shows LOUISE's statements and the shop's invoices; an invoice
is the owner's own (another shop's owner gets a 404, staff at the counter a 403)."""

from louise.billing.models import Invoice
from louise.catalog.invitations import shop_owner_grant
from louise.conftest import the_town
from louise.reports.statements import month_close
from louise.reports.tests.conftest import creditor, operator
from louise.reports.tests.test_month_walk import DECEMBER, NEW_YEAR, bens_debit_returned, month

from .conftest import signed_in

__all__ = ["creditor", "month", "operator"]  # fixtures


def test_owner_sees_statement_and_own_invoice_only(month, operator, shop, other_shop):
    # given the month closed
    month_close(by=operator, town_id=the_town().pk, month=DECEMBER, today=NEW_YEAR)
    mine = Invoice.objects.get(merchant=shop["merchant"])
    theirs = Invoice.objects.get(merchant=other_shop["merchant"])
    staff = signed_in("laden1")
    assert staff.get(f"/laden/rechnungen/{mine.pk}.pdf").status_code == 403
    # when the owner opens the turnover page
    shop_owner_grant(user=shop["staff"])
    owner = signed_in("laden1")
    page = owner.get("/laden/umsatz/").content.decode()
    # then
    assert mine.label in page and "39,11\xa0€" in page and theirs.label not in page
    pdf = owner.get(f"/laden/rechnungen/{mine.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert owner.get(f"/laden/rechnungen/{theirs.pk}.pdf").status_code == 404


def test_a_negative_month_shows_what_is_carried_on(month, operator, other_shop):
    """The second shop's December ends at −11,90 € (its goods came back): paid out 0 €, the
    balance named as going into the next month, on its page and the operator's."""
    bens_debit_returned(month)
    month_close(by=operator, town_id=the_town().pk, month=DECEMBER, today=NEW_YEAR)
    shop_owner_grant(user=other_shop["staff"])
    for client, path in ((signed_in("laden2"), "/laden/umsatz/"),
                         (signed_in(operator.username), "/betrieb/geld/abrechnungen/")):
        page = client.get(path).content.decode()
        assert "0,00\xa0€ <span class=\"muted\">(-11,90\xa0€ in den Folgemonat)</span>" in page
