"""Collection runs: the pain.008 file matches the ledger, validates against the XSD, and a
run is made once per due date; returns re-open what they took."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from louise.billing import notifications
from louise.billing.collection import collection_run
from louise.billing.ledger import open_entries
from louise.billing.models import Debit, DebitStatus, LedgerEntry
from louise.billing.notifications import prenotify
from louise.billing.returns import camt_import, orders_blocked, returns_clear
from louise.billing.tests.conftest import camt054, sepa, xsd_valid
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.orders.services import order_cancel

from ...conftest import (
    MONDAY_MORNING,
    fees_set,
    make_user,
    order_placed,
    other_town,
    the_town,
)

DUE = date(2026, 12, 4)
LATER = MONDAY_MORNING + timedelta(hours=1)


@pytest.fixture
def bought(shop, customer, other_customer, creditor):
    """Two customers' orders on Monday; one of them cancels a second order."""
    fees_set(door_cents=390)
    first, second = customer[0], other_customer[0]
    orders = [order_placed(first, shop["product"], 2, now=MONDAY_MORNING),
              order_placed(second, shop["product"], now=MONDAY_MORNING)]
    cancelled = order_placed(second, shop["product"], now=MONDAY_MORNING)
    order_cancel(order_number=cancelled.number, by=second)
    return first, second, orders


def test_file_matches_the_ledger_and_validates_against_the_pain008_schema(bought, mailoutbox,
        django_capture_on_commit_callbacks):
    first, second, _orders = bought
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = collection_run(town_id=the_town().pk, due=DUE, now=LATER)
    # then
    document = xsd_valid(run.xml, "pain.008.001.02")
    assert sepa(document, "//s:GrpHdr/s:NbOfTxs/text()") == ["2"]
    assert sepa(document, "//s:GrpHdr/s:CtrlSum/text()") == ["52.80"]  # 33,90 + 18,90
    assert run.total_cents == sum(LedgerEntry.objects.values_list("amount_cents", flat=True))
    assert sepa(document, "//s:SeqTp/text()") == ["FRST"]
    assert sepa(document, "//s:CdtrSchmeId//s:Id/text()") == ["DE98ZZZ09999999999"]
    assert set(sepa(document, "//s:MndtId/text()")) == {
        first.mandates.get().reference, second.mandates.get().reference}
    assert not open_entries(the_town().pk).exists()


def test_pre_notification_goes_out_on_its_day_once(bought, mailoutbox,
        django_capture_on_commit_callbacks, time_machine):
    """Notice period one day: the run made four days ahead mails nothing yet; the timer
    mails on the 3rd for the 4th, and not again."""
    with django_capture_on_commit_callbacks(execute=True):
        run = collection_run(town_id=the_town().pk, due=DUE, now=LATER)
    assert mailoutbox == []
    assert prenotify(today=DUE - timedelta(days=2)) == 0
    assert prenotify(today=DUE - timedelta(days=1)) == 2
    assert sorted(m.subject for m in mailoutbox) == [
        "Ankündigung Ihrer SEPA-Lastschrift zum 04.12.2026"] * 2
    assert "DE98ZZZ09999999999" in mailoutbox[0].body
    assert all(d.notified_at is not None for d in run.debits.all())
    time_machine.move_to(datetime(2026, 12, 3, 2, 30, tzinfo=BERLIN), tick=False)
    out = StringIO()
    call_command("billing", "prenotify", stdout=out)  # the nightly timer: nothing twice
    assert out.getvalue().strip() == "0 Vorabankündigung(en) verschickt." and len(mailoutbox) == 2


def test_a_run_made_within_the_notice_period_mails_at_once_and_days_widen_the_window(
        bought, mailoutbox, django_capture_on_commit_callbacks, time_machine):
    first, _second, _orders = bought
    with django_capture_on_commit_callbacks(execute=True):
        collection_run(town_id=the_town().pk, due=date(2026, 12, 1), now=LATER)
    assert len(mailoutbox) == 2
    order_placed(first, _orders[0].lines.first().product, now=LATER)
    collection_run(town_id=the_town().pk, due=date(2026, 12, 15), now=LATER)
    time_machine.move_to(datetime(2026, 12, 1, 2, 30, tzinfo=BERLIN), tick=False)
    out = StringIO()
    call_command("billing", "prenotify", stdout=out)  # the town's one day: not yet
    call_command("billing", "prenotify", "--days", "14", "--town", the_town().slug, stdout=out)
    assert out.getvalue().split("\n")[:2] == ["0 Vorabankündigung(en) verschickt.",
                                               "1 Vorabankündigung(en) verschickt."]
    assert mailoutbox[-1].subject == "Ankündigung Ihrer SEPA-Lastschrift zum 15.12.2026"


def test_a_second_run_for_the_same_date_is_the_first_and_later_ones_take_only_new(
        bought, shop):
    first, _second, _orders = bought
    town = the_town()
    run = collection_run(town_id=town.pk, due=DUE, now=LATER)
    again = collection_run(town_id=town.pk, due=DUE, now=LATER + timedelta(hours=1))
    assert again.pk == run.pk and Debit.objects.count() == 2
    # a new order, the next run: only it, and as a recurring debit
    order_placed(first, shop["product"], now=MONDAY_MORNING + timedelta(days=1))
    later = collection_run(town_id=town.pk, due=DUE + timedelta(days=7),
                           now=MONDAY_MORNING + timedelta(days=1, hours=1))
    document = xsd_valid(later.xml, "pain.008.001.02")
    assert (later.count, later.total_cents) == (1, 1890)
    assert sepa(document, "//s:SeqTp/text()") == ["RCUR"]


def test_due_date_must_leave_time_for_the_pre_notification(bought):
    with pytest.raises(Invalid, match=r"frühestens am 01\.12\.2026"):
        collection_run(town_id=the_town().pk, due=MONDAY_MORNING.date(), now=LATER)
    assert not Debit.objects.exists()


def test_operator_of_another_town_cannot_run_it(bought):
    stranger = make_user("betrieb2", "operator", town_ids=[other_town().pk])
    with pytest.raises(NotFound):
        collection_run(town_id=the_town().pk, due=DUE, by=stranger, now=LATER)
    assert not Debit.objects.exists()


def test_command_writes_the_file(bought, tmp_path):
    out = tmp_path / "einzug.xml"
    call_command("billing", "collect", "--town", the_town().slug, "--due", DUE.isoformat(),
                 "--out", str(out))
    xsd_valid(out.read_bytes(), "pain.008.001.02")


def test_camt054_return_reopens_the_charge_notifies_and_blocks_after_two(
        bought, shop, mailoutbox, django_capture_on_commit_callbacks, staff_users):
    # given
    first, _second, _orders = bought
    town = the_town()
    run = collection_run(town_id=town.pk, due=DUE, now=LATER)
    debit = run.debits.get(customer=first)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        camt_import(town_id=town.pk, content=camt054((debit.end_to_end_id, "AC04")))
    camt_import(town_id=town.pk, content=camt054((debit.end_to_end_id, "AC04")))  # twice: once
    # then
    debit.refresh_from_db()
    assert (debit.status, debit.return_reason) == (DebitStatus.RETURNED, "AC04")
    assert sum(open_entries(town.pk).values_list("amount_cents", flat=True)) == 3390
    assert mailoutbox[-1].subject == "Ihre SEPA-Lastschrift wurde zurückgegeben"
    assert not orders_blocked(first)
    # the next run takes it again; a second return blocks new orders
    rerun = collection_run(town_id=town.pk, due=DUE + timedelta(days=7), now=LATER)
    again = rerun.debits.get(customer=first)
    assert again.amount_cents == 3390
    camt_import(town_id=town.pk, content=camt054((again.end_to_end_id, "MD06")))
    assert orders_blocked(first)
    with pytest.raises(Conflict, match="Rücklastschriften"):
        order_placed(first, shop["product"], now=LATER)
    returns_clear(by=staff_users["hotline"], town_id=town.pk, customer_id=first.pk,
                  note="Überwiesen")
    assert not orders_blocked(first)


@pytest.mark.parametrize(("content", "message"), [
    (camt054(("X", "AC04"), iban="DE89370400440532013000"), "nicht das Gläubigerkonto"),
    (b"<Document><Ntfctn>", "kein gültiges XML"),
    (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.008.001.02'/>", "keine camt.054"),
    (camt054(("L999-1-1", "AC04")), "Unbekannte End-to-End-ID „L999-1-1“"),
])
def test_bad_camt_is_refused_and_nothing_changes(bought, content, message):
    town = the_town()
    run = collection_run(town_id=town.pk, due=DUE, now=LATER)
    known = run.debits.first().end_to_end_id
    if b"L999" in content:  # a known id beside the unknown one is not booked either
        content = camt054((known, "AC04"), ("L999-1-1", "AC04"))
    with pytest.raises(Invalid, match=message):
        camt_import(town_id=town.pk, content=content)
    assert not Debit.objects.filter(status=DebitStatus.RETURNED).exists()
    assert not open_entries(town.pk).exists()


def test_one_failing_mail_stops_no_other_notice_and_days_never_undercut_the_period(
        bought, mailoutbox, monkeypatch):
    run = collection_run(town_id=the_town().pk, due=DUE, now=LATER)
    # a window shorter than the town's one day is widened to it: the notice is not late
    assert prenotify(today=DUE - timedelta(days=1), days=0) == 2
    # the next run's first mail fails (its server refuses): the other still goes out
    Debit.objects.filter(run=run).update(notified_at=None)
    mailoutbox.clear()
    real = notifications.mail_send
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 1:
            raise OSError("SMTP refused")
        real(**kwargs)

    monkeypatch.setattr(notifications, "mail_send", flaky)
    assert prenotify(today=DUE - timedelta(days=1)) == 1
    assert len(mailoutbox) == 1
    assert Debit.objects.filter(run=run, notified_at__isnull=True).count() == 1  # tomorrow
