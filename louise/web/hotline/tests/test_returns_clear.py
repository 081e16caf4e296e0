"""Clearing a customer blocked after returned debits: the hotline on the caller's page and
the operator on the returns page, each for their own town only, audited."""

from datetime import date, timedelta

import pytest

from louise.accounts.models import AuditEntry
from louise.billing.collection import collection_run
from louise.billing.models import ReturnsCleared
from louise.billing.returns import camt_import, orders_blocked, returns_clear
from louise.billing.services import creditor_save
from louise.billing.tests.conftest import CREDITOR_IBAN, CREDITOR_ID, camt054
from louise.conftest import MONDAY_MORNING, fees_set, make_user, order_placed, other_town, the_town
from louise.core.errors import NotFound
from louise.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked(staff_users, shop, customer):
    """The customer's only debit came back; the town blocks after one return."""
    town = the_town()
    fees_set(door_cents=390)
    creditor_save(by=staff_users["operator"], town_id=town.pk, creditor_name="LOUISE",
                  creditor_id=CREDITOR_ID, iban=CREDITOR_IBAN, bic="BYLADEM1001",
                  block_after_returns=1)
    order_placed(customer[0], shop["product"], now=MONDAY_MORNING)
    run = collection_run(town_id=town.pk, due=date(2026, 12, 4),
                         now=MONDAY_MORNING + timedelta(hours=1))
    camt_import(town_id=town.pk, content=camt054((run.debits.get().end_to_end_id, "AC04")))
    assert orders_blocked(customer[0])
    return customer[0]


def test_the_hotline_sees_the_block_and_clears_it_with_a_note(blocked):
    agent = signed_in("hotline")
    page = agent.get(f"/hotline/kunden/{blocked.pk}/").content.decode()
    assert "Bestellungen gesperrt: 1 Rücklastschrift ist offen." in page
    path = f"/hotline/kunden/{blocked.pk}/ruecklastschriften/"
    agent.post(path, {"note": ""})
    assert orders_blocked(blocked)  # no note, no clearing
    assert agent.post(path, {"note": "Betrag überwiesen"}).status_code == 302
    assert not orders_blocked(blocked)
    entry = AuditEntry.objects.get(action="Rücklastschriften geklärt")
    assert (entry.by.username, entry.town_id) == ("hotline", the_town().pk)
    assert entry.changes["notiz"] == "Betrag überwiesen"
    assert "Bestellungen gesperrt" not in agent.get(f"/hotline/kunden/{blocked.pk}/"
                                                    ).content.decode()


def test_an_agent_of_another_town_cannot_clear(blocked):
    town = other_town()
    stranger = make_user("hotline2", "hotline", town_ids=[town.pk])
    client = signed_in("hotline2")
    assert client.post(f"/hotline/kunden/{blocked.pk}/ruecklastschriften/",
                       {"note": "geklärt"}).status_code == 404
    for town_id in (town.pk, the_town().pk):  # its own town never debited; the other is not its
        with pytest.raises(NotFound):
            returns_clear(by=stranger, town_id=town_id, customer_id=blocked.pk, note="geklärt")
    assert orders_blocked(blocked) and not ReturnsCleared.objects.exists()


def test_other_roles_cannot_clear(blocked):
    for username in ("kundin", "laden1", "rider", "dispatcher"):
        client = signed_in(username)
        assert client.post(f"/hotline/kunden/{blocked.pk}/ruecklastschriften/",
                           {"note": "x"}).status_code == 403, username
        assert client.post(f"/betrieb/geld/ruecklastschriften/kunden/{blocked.pk}/klaeren/",
                           {"note": "x"}).status_code == 403, username
    assert orders_blocked(blocked)


def test_the_operator_clears_on_the_returns_page_of_its_town_only(blocked):
    town = other_town()
    make_user("betrieb2", "operator", town_ids=[town.pk])
    path = f"/betrieb/geld/ruecklastschriften/kunden/{blocked.pk}/klaeren/"
    assert signed_in("betrieb2").post(path, {"note": "geklärt"}).status_code == 404
    assert orders_blocked(blocked)
    operator = signed_in("operator")
    page = operator.get("/betrieb/geld/ruecklastschriften/").content.decode()
    assert blocked.display_name in page.split('id="blocked"')[1].split("</ul>")[0]
    assert operator.post(path, {"note": "neues Konto"}).status_code == 302
    assert not orders_blocked(blocked)
    assert AuditEntry.objects.filter(action="Rücklastschriften geklärt",
                                     town_id=the_town().pk).count() == 1
    page = operator.get("/betrieb/geld/ruecklastschriften/").content.decode()
    assert "Niemand ist gesperrt." in page
