"""The console's money pages: the operator's only (403 for every other role), another
town's runs and invoices are 404s, and amounts are shown in German."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from louise.accounts.models import AuditEntry, User
from louise.billing.collection import collection_run
from louise.billing.models import CustomerFees, Debit, DebitStatus, MerchantAccount
from louise.billing.services import creditor_save, merchant_account_save
from louise.catalog.models import Merchant
from louise.conftest import MONDAY_MORNING, fees_set, make_user, order_placed, other_town, the_town
from louise.core.calendar import BERLIN
from louise.core.errors import NotFound
from louise.web.conftest import signed_in

PAGES = ["/betrieb/geld/", "/betrieb/geld/einzug/", "/betrieb/geld/ruecklastschriften/",
         "/betrieb/geld/abrechnungen/"]


@pytest.fixture
def collected(staff_users, shop, customer):
    """A run of the first town with one debit of 33,90 €."""
    fees_set(door_cents=390)
    creditor_save(by=staff_users["operator"], town_id=the_town().pk, creditor_name="LOUISE",
                  creditor_id="DE98ZZZ09999999999", iban="DE02120300000000202051",
                  bic="BYLADEM1001")
    order_placed(customer[0], shop["product"], 2, now=MONDAY_MORNING)
    return collection_run(town_id=the_town().pk, due=date(2026, 12, 4),
                          now=MONDAY_MORNING + timedelta(hours=1))


@pytest.mark.django_db
def test_money_pages_are_the_operators_only(collected):
    run_pages = [f"/betrieb/geld/einzug/{collected.pk}/",
                 f"/betrieb/geld/einzug/{collected.pk}/lastschriften.xml",
                 f"/betrieb/geld/einzug/{collected.pk}/vorabankuendigungen.pdf"]
    debit = collected.debits.get()
    for path in [*PAGES, *run_pages]:
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
        for username in ("kundin", "laden1", "rider", "hotline", "dispatcher"):
            assert signed_in(username).get(path).status_code == 403, (path, username)
        assert signed_in("operator").get(path).status_code == 200, path
    for username in ("kundin", "laden1", "hotline", "dispatcher"):
        client = signed_in(username)
        assert client.post("/betrieb/geld/einzug/", {"due": "2026-12-11"}).status_code == 403
        assert client.post(f"/betrieb/geld/einzug/{collected.pk}/lastschrift/{debit.pk}"
                           "/zurueck/", {"reason": "AC04"}).status_code == 403
        assert client.post(f"/betrieb/geld/einzug/{collected.pk}/vorabankuendigungen/versandt/"
                           ).status_code == 403
    assert Debit.objects.get().status == DebitStatus.SUBMITTED


@pytest.mark.django_db
def test_run_page_shows_german_amounts_and_the_file(collected):
    operator = signed_in("operator")
    page = operator.get(f"/betrieb/geld/einzug/{collected.pk}/").content.decode()
    assert "33,90\xa0€" in page
    xml = operator.get(f"/betrieb/geld/einzug/{collected.pk}/lastschriften.xml")
    assert xml["Content-Type"].startswith("application/xml") and b"<CtrlSum>33.90" in xml.content


@pytest.mark.django_db
def test_another_towns_operator_gets_404_and_changes_nothing(collected):
    town = other_town()
    make_user("betrieb2", "operator", town_ids=[town.pk])
    stranger = signed_in("betrieb2")
    debit = collected.debits.get()
    assert stranger.get(f"/betrieb/geld/einzug/{collected.pk}/").status_code == 404
    assert stranger.get(f"/betrieb/geld/einzug/{collected.pk}/lastschriften.xml"
                        ).status_code == 404
    assert stranger.post(f"/betrieb/geld/einzug/{collected.pk}/lastschrift/{debit.pk}/zurueck/",
                         {"reason": "AC04"}).status_code == 404
    assert stranger.get(f"/betrieb/geld/einzug/{collected.pk}/vorabankuendigungen.pdf"
                        ).status_code == 404
    assert stranger.post(f"/betrieb/geld/einzug/{collected.pk}/vorabankuendigungen/versandt/"
                         ).status_code == 404
    assert stranger.get("/betrieb/geld/?stadt=" + the_town().slug).status_code == 404
    assert Debit.objects.get().status == DebitStatus.SUBMITTED


@pytest.mark.django_db
def test_overlapping_fees_are_refused_on_the_page(staff_users):
    operator = signed_in("operator")
    tomorrow = date.today() + timedelta(days=1)
    form = {"form": "customer", "kunde-valid_from": tomorrow.isoformat(),
            "kunde-valid_until": (tomorrow + timedelta(days=30)).isoformat(),
            "kunde-door": "3,90"}
    assert operator.post("/betrieb/geld/", form).status_code == 302
    page = operator.post("/betrieb/geld/", form, follow=True).content.decode()
    assert "überschneidet sich" in page
    assert CustomerFees.objects.filter(town=the_town(), door_cents=390).count() == 1


@pytest.mark.django_db
def test_payout_account_of_own_towns_shop_only(staff_users, shop):
    operator = signed_in("operator")
    form = {"form": "account", "konto-merchant": shop["merchant"].pk, "konto-holder": "Buch GmbH",
            "konto-iban": "DE89 3704 0044 0532 0130 00", "konto-vat_id": "de123456789"}
    assert operator.post("/betrieb/geld/", form).status_code == 302
    account = MerchantAccount.objects.get(merchant=shop["merchant"])
    assert (account.iban, account.vat_id) == ("DE89370400440532013000", "DE123456789")
    town = other_town()
    stranger = Merchant.objects.create(name="Fremd", slug="fremd", category="books", town=town,
                                       street="Hochstraße 1", postcode="45964", lat=51.57,
                                       lon=6.98)
    with pytest.raises(NotFound):
        merchant_account_save(by=staff_users["operator"], merchant_id=stranger.pk,
                              holder="X", iban="DE89370400440532013000")
    assert not MerchantAccount.objects.filter(merchant=stranger).exists()


@pytest.mark.django_db
def test_money_forms_offer_their_empty_choices_in_german(staff_users, shop):
    """Each select of the money pages: its blank choice in German words, none of Django's."""
    operator = signed_in("operator")
    for path in PAGES:
        page = operator.get(path).content.decode()
        assert "Select an option" not in page and "---------" not in page, path
    fees = operator.get("/betrieb/geld/").content.decode()
    assert '<option value="" selected>alle Geschäfte der Stadt</option>' in fees
    assert '<option value="" selected>– bitte wählen –</option>' in fees


@pytest.mark.django_db
def test_an_unknown_debit_is_named_and_nothing_is_booked(collected):
    operator = signed_in("operator")
    debit = collected.debits.get()
    page = operator.post(f"/betrieb/geld/einzug/{collected.pk}/lastschrift/{debit.pk + 99}"
                         "/zurueck/", {"reason": "AC04"}, follow=True).content.decode()
    assert (f"Die Lastschrift Nr. {debit.pk + 99} gehört nicht zum Einzugslauf vom "
            "04.12.2026; es wurde nichts gebucht.") in page
    page = operator.post(f"/betrieb/geld/einzug/{collected.pk}/lastschrift/{debit.pk}"
                         "/zurueck/", {"reason": "A!"}, follow=True).content.decode()
    assert "vierstelligen Rückgabegrund" in page
    assert Debit.objects.get().status == DebitStatus.SUBMITTED


NOTICE_DAY = datetime(2026, 12, 3, 9, tzinfo=BERLIN)  # the run's due date less one day


@pytest.fixture
def collected_by_letter(staff_users, shop, customer):
    """As `collected`, for a customer without an e-mail address (a hotline caller)."""
    User.objects.filter(pk=customer[0].pk).update(email="")
    customer[0].refresh_from_db()
    fees_set(door_cents=390)
    creditor_save(by=staff_users["operator"], town_id=the_town().pk, creditor_name="LOUISE",
                  creditor_id="DE98ZZZ09999999999", iban="DE02120300000000202051",
                  bic="BYLADEM1001", address="Altmarkt 1, 46236 Bottrop")
    order_placed(customer[0], shop["product"], 2, now=MONDAY_MORNING)
    return collection_run(town_id=the_town().pk, due=date(2026, 12, 4),
                          now=MONDAY_MORNING + timedelta(hours=1))


@pytest.mark.django_db
def test_a_customer_without_email_gets_the_notice_by_letter(collected_by_letter, customer):
    run, (person, address) = collected_by_letter, customer
    out = io.StringIO()
    with time_machine.travel(NOTICE_DAY, tick=False):  # no mail can carry it: named, kept open
        call_command("billing", "prenotify", stdout=out)
    assert "0 Vorabankündigung(en) verschickt" in out.getvalue()
    assert "1 Vorabankündigung(en) an Kunden ohne E-Mail per Brief" in out.getvalue()
    operator = signed_in("operator")
    page = operator.get(f"/betrieb/geld/einzug/{run.pk}/").content.decode()
    assert "1 Brief ist noch nicht als versandt vermerkt" in page and "Brief offen" in page
    pdf = operator.get(f"/betrieb/geld/einzug/{run.pk}/vorabankuendigungen.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    (letter,) = PdfReader(io.BytesIO(pdf.content)).pages
    text = letter.extract_text()
    assert person.display_name in text and address.street in text
    assert "33,90" in text and "04.12.2026" in text and "DE98ZZZ09999999999" in text
    done = operator.post(f"/betrieb/geld/einzug/{run.pk}/vorabankuendigungen/versandt/",
                         follow=True).content.decode()
    assert "1 Vorabankündigung(en) als per Brief versandt vermerkt" in done
    assert Debit.objects.get().notified_at is not None
    again = operator.post(f"/betrieb/geld/einzug/{run.pk}/vorabankuendigungen/versandt/",
                          follow=True).content.decode()
    assert "schon als versandt vermerkt" in again
    out = io.StringIO()
    with time_machine.travel(NOTICE_DAY, tick=False):
        call_command("billing", "prenotify", stdout=out)
    assert "per Brief" not in out.getvalue()
    assert AuditEntry.objects.filter(action="Vorabankündigungen per Brief versandt").count() == 1
