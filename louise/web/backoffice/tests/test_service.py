"""Service work in the shop: intake scan, inspection with a quote the customer answers,
done — which releases the return trip."""

import pytest
from django.db import transaction

from louise.core.errors import Conflict, NotFound
from louise.logistics.models import Leg, LegKind, LegStatus
from louise.orders import quotes
from louise.orders.lifecycle import order_transition
from louise.orders.models import EventKind, QuoteStatus


@pytest.fixture
def arrived(booked):
    """The rider has fetched the item at the customer's door."""
    return order_transition(booked, "pick_up_item")


def test_intake_scan_takes_the_item_in_and_opens_the_order(staff_client, arrived):
    # when
    response = staff_client.post("/laden/annahme/", {"code": f"LOUISE:{arrived.number}:1/1"})
    # then
    assert response["Location"] == f"/laden/bestellungen/{arrived.number}/"
    arrived.refresh_from_db()
    assert arrived.status == "in_service"
    # and a second scan is harmless
    again = staff_client.post("/laden/annahme/", {"code": arrived.number})
    assert again.status_code == 302


def test_a_service_cannot_be_done_before_the_item_is_in_the_shop(staff_client, booked):
    # given: accepted, but the rider has not brought the item yet
    page = staff_client.get(f"/laden/bestellungen/{booked.number}/").content.decode()
    assert "Rückgabe freigeben" not in page
    # when: "done" is posted anyway (an old tab)
    response = staff_client.post(f"/laden/bestellungen/{booked.number}/fertig/",
                                 {"parcels": 1}, follow=True)
    # then: refused with a reason, nothing released
    assert "noch nicht im Geschäft angekommen" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "accepted"
    assert not Leg.objects.filter(order=booked, kind=LegKind.RETURN,
                                  status=LegStatus.OPEN).exists()


def test_intake_of_goods_is_refused(staff_client, placed):
    response = staff_client.post("/laden/annahme/", {"code": placed.number})
    assert response.status_code == 200
    assert "Warenbestellung" in response.content.decode()


def test_quote_blocks_done_until_the_customer_accepts(staff_client, api, shop, arrived,
                                                      mailoutbox,
                                                      django_capture_on_commit_callbacks):
    # given: taken in and inspected with a quote of 24,50 €
    staff_client.post(f"/laden/bestellungen/{arrived.number}/eingang/")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/laden/bestellungen/{arrived.number}/befund/",
                          {"findings": "Buchrücken gebrochen", "quote": "24,50"})
    arrived.refresh_from_db()
    assert (arrived.quote_cents, arrived.quote_status) == (2450, QuoteStatus.PENDING)
    assert "24,50\u00a0€" in mailoutbox[0].body
    # when: the shop tries to finish before the customer agreed
    response = staff_client.post(f"/laden/bestellungen/{arrived.number}/fertig/",
                                 {"parcels": 1}, follow=True)
    # then
    assert "noch nicht zugestimmt" in response.content.decode()
    assert Leg.objects.get(order=arrived, kind=LegKind.RETURN).status == LegStatus.WAITING
    # when: the customer accepts on their order page (through the API), then the shop is done
    answer = api("kundin").post(f"/orders/{arrived.number}/quote/accept")
    staff_client.post(f"/laden/bestellungen/{arrived.number}/fertig/", {"parcels": 1})
    # then
    assert answer.status_code == 200, answer.content
    assert answer.json()["subtotal_cents"] == 2450
    arrived.refresh_from_db()
    assert arrived.status == "ready"
    assert arrived.lines.get().unit_price_cents == 2450
    assert Leg.objects.get(order=arrived, kind=LegKind.RETURN).status == LegStatus.OPEN


def test_declined_quote_sends_the_item_back_free_of_charge(staff_client, api, arrived):
    # given
    quotes.service_intake(order_number=arrived.number, by=arrived.merchant.staff.get())
    staff_client.post(f"/laden/bestellungen/{arrived.number}/befund/",
                      {"findings": "Totalschaden", "quote": "80"})
    # when
    answer = api("kundin").post(f"/orders/{arrived.number}/quote/decline",
                                {"reason": "zu teuer"})
    page = staff_client.get(f"/laden/bestellungen/{arrived.number}/").content.decode()
    staff_client.post(f"/laden/bestellungen/{arrived.number}/fertig/", {"parcels": 1})
    # then
    assert answer.status_code == 200
    assert "Unrepariert zurückschicken" in page
    arrived.refresh_from_db()
    assert (arrived.status, arrived.subtotal_cents) == ("ready", 0)
    answered = arrived.events.get(kind=EventKind.QUOTE_DECLINED)
    assert (answered.note, answered.text) == ("zu teuer", "Kostenvoranschlag abgelehnt: zu teuer")
    assert "Kostenvoranschlag: Totalschaden · 80,00\xa0€" in page


def test_quote_mail_goes_out_once_after_commit_and_never_for_a_rolled_back_quote(
        shop, arrived, mailoutbox, django_capture_on_commit_callbacks):
    # given: the item taken in
    staff = shop["staff"]
    quotes.service_intake(order_number=arrived.number, by=staff)
    # when: a quote is written in a transaction that then fails
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        quotes.service_inspect(order_number=arrived.number, by=staff, findings="Riss",
                               quote_cents=1000)
        raise RuntimeError("the request fails after the quote")
    # then: no mail; when it is written again and committed, exactly one
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        quotes.service_inspect(order_number=arrived.number, by=staff, findings="Riss",
                               quote_cents=1000)
    assert [m.subject for m in mailoutbox] == [
        f"Kostenvoranschlag zu Ihrer Bestellung {arrived.number}"]
    assert arrived.events.filter(kind=EventKind.QUOTE_SENT).count() == 1


def test_a_quote_answered_before_its_mail_goes_out_is_not_mailed(
        shop, arrived, mailoutbox, django_capture_on_commit_callbacks):
    # given: a quote whose mail task has not run yet
    staff = shop["staff"]
    quotes.service_intake(order_number=arrived.number, by=staff)
    with django_capture_on_commit_callbacks() as queued:
        quotes.service_inspect(order_number=arrived.number, by=staff, findings="Riss",
                               quote_cents=1000)
    # when: the customer accepts first (say, at the counter through the hotline)
    quotes.quote_accept(order_number=arrived.number, by=arrived.customer)
    for callback in queued:
        callback()
    # then: the task reads the answered quote and mails nothing
    assert mailoutbox == []


def test_only_the_orders_customer_may_answer_the_quote(api, shop, arrived, other_customer):
    # given
    staff = shop["staff"]
    quotes.service_intake(order_number=arrived.number, by=staff)
    quotes.service_inspect(order_number=arrived.number, by=staff, findings="Riss",
                           quote_cents=1000)
    # then: another customer does not even see it; the shop cannot answer for the customer
    assert api("kunde2").post(f"/orders/{arrived.number}/quote/accept").status_code == 404
    assert api("laden1").post(f"/orders/{arrived.number}/quote/accept").status_code == 403
    with pytest.raises(NotFound):
        quotes.quote_accept(order_number=arrived.number, by=_user("kunde2"))
    arrived.refresh_from_db()
    assert arrived.quote_status == QuoteStatus.PENDING


def test_no_answer_without_a_pending_quote(api, arrived):
    response = api("kundin").post(f"/orders/{arrived.number}/quote/accept")
    assert response.status_code == 409


def test_inspection_needs_the_item_in_the_shop(shop, booked):
    with pytest.raises(Conflict):
        quotes.service_inspect(order_number=booked.number, by=shop["staff"], findings="Riss")


def test_the_api_lets_a_shop_system_do_intake_and_inspection(api, arrived):
    shop_api = api("laden1")
    assert shop_api.post("/service-intake", {"code": arrived.number}).json()["status"] == \
        "in_service"
    response = shop_api.post(f"/orders/{arrived.number}/inspection",
                             {"findings": "Naht offen", "quote_cents": 1200})
    assert response.json()["quote_status"] == "pending"


def _user(username: str):
    from louise.accounts.models import User

    return User.objects.get(username=username)


def test_service_endpoints_refuse_anonymous_wrong_role_and_other_shops(api, shop, other_shop,
                                                                     arrived):
    # given
    inspection = f"/orders/{arrived.number}/inspection"
    answers = [f"/orders/{arrived.number}/quote/accept", f"/orders/{arrived.number}/quote/decline"]
    # then: anonymous
    for path in ["/service-intake", inspection, *answers]:
        assert api().post(path, {"code": arrived.number, "findings": "x"}).status_code == 401
    # a customer cannot act as the shop
    assert api("kundin").post("/service-intake", {"code": arrived.number}).status_code == 403
    assert api("kundin").post(inspection, {"findings": "Riss"}).status_code == 403
    # staff of another shop find nothing
    other = api("laden2")
    assert other.post("/service-intake", {"code": arrived.number}).status_code == 400
    assert other.post(inspection, {"findings": "Riss"}).status_code == 404
    arrived.refresh_from_db()
    assert arrived.status == "item_picked_up"
