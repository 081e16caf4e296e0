"""Pages every visitor can reach: the legal texts the operator publishes, and error pages
that speak German."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from louise.accounts.models import Role
from louise.web.models import LegalText

pytestmark = pytest.mark.django_db

LEGAL = {"impressum": "Angaben gemäß § 5", "datenschutz": "Verantwortlicher",
         "agb": "Allgemeine Geschäftsbedingungen", "widerruf": "Widerrufsrecht"}


@pytest.mark.parametrize(("path", "words"), LEGAL.items())
def test_every_legal_text_is_linked_from_every_page_and_has_a_german_template(path, words):
    home = Client().get("/").content.decode()
    assert f'href="/{path}/"' in home
    page = Client().get(f"/{path}/").content.decode()
    assert words in page and "Musterbetreiber" in page


def test_the_registration_consent_links_to_the_privacy_notice(db):
    assert 'href="/datenschutz/"' in Client().get("/konto/registrieren/").content.decode()


def test_the_operator_publishes_an_own_imprint(staff_users):
    operator = Client()
    operator.force_login(staff_users[Role.OPERATOR])
    assert operator.get("/start/")["Location"] == "/betrieb/"
    assert "Mustervorlage" in operator.get("/betrieb/").content.decode()
    # an empty text is refused and nothing is stored
    assert "nicht leer" in operator.post("/betrieb/texte/impressum/",
                                         {"body": "  "}).content.decode()
    assert not LegalText.objects.exists()
    operator.post("/betrieb/texte/impressum/",
                  {"body": "Stadtlogistik Musterstadt GmbH\n\nAm Markt 2 & 3"})
    page = Client().get("/impressum/").content.decode()
    assert "Stadtlogistik Musterstadt GmbH" in page and "Am Markt 2 &amp; 3" in page
    assert LegalText.objects.get().updated_by == staff_users[Role.OPERATOR]


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.HOTLINE, Role.RIDER])
def test_nobody_else_edits_the_legal_texts(staff_users, role):
    client = Client()
    client.force_login(staff_users[role])
    assert client.post("/betrieb/texte/impressum/", {"body": "gefälscht"}).status_code == 403
    assert client.get("/betrieb/").status_code == 403
    assert not LegalText.objects.exists()


def test_error_pages_speak_german(customer, staff_users):
    missing = Client().get("/gibt-es-nicht/")
    assert missing.status_code == 404 and "Diese Seite gibt es nicht" in missing.content.decode()
    client = Client()
    client.force_login(customer[0])
    denied = client.get("/dispo/")
    assert denied.status_code == 403 and "Kein Zugriff" in denied.content.decode()
    broken = server_error(RequestFactory().get("/"))
    assert broken.status_code == 500 and "schiefgegangen" in broken.content.decode()
    csrf = Client(enforce_csrf_checks=True).post("/konto/anmelden/", {"username": "x"})
    assert csrf.status_code == 403 and "Formular ist abgelaufen" in csrf.content.decode()


def test_there_is_a_favicon(db):
    assert 'rel="icon"' in Client().get("/").content.decode()
    assert Client().get("/favicon.ico")["Location"].endswith("web/favicon.svg")


def test_an_english_browser_gets_one_language_not_a_mix(customer):
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(customer[0])
    page = client.get("/konto/passwort/").content.decode()
    assert 'lang="de"' in page and "Old password" not in page and "Altes Passwort" in page
