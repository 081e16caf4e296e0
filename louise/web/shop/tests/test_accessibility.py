"""Every shop page meets the accessibility basics (see `a11y.problems`), for a visitor and
for a signed-in customer with orders."""

import pytest

from .a11y import contrast, palette, problems
from .conftest import signed_in

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/geschaefte/", "/suche/?q=Buch", "/warenkorb/", "/konto/registrieren/",
          "/konto/anmelden/"]


def test_public_pages(client, shop):
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    for url in [*PUBLIC, f"/geschaefte/{shop['merchant'].slug}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_customer_pages(placed, customer, shop):
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    number = placed.orders.first().number
    for url in ["/warenkorb/", "/kasse/", f"/einkauf/{placed.reference}/", "/bestellungen/",
                f"/bestellungen/{number}/", f"/bestellungen/{number}/umplanen/", "/konto/",
                "/konto/adressen/neu/", "/konto/loeschen/",
                f"/dienstleistungen/{shop['service'].pk}/buchen/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_the_checker_finds_what_it_looks_for():
    html = ('<html><body><h1>A</h1><h1>B</h1><h4>C</h4><input name="q"><img src="x.png">'
            '<button></button></body></html>')
    assert problems(html) == [
        "<html> has no lang", "2 <h1> instead of one", "heading level skipped: h1 → h4",
        "<input name='q'> has no label", "<img src='x.png'> has no alt",
        "<button> without a name: {'_text': ''}"]


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "bg"), ("muted", "bg"), ("muted", "card"), ("brand-dark", "bg"), ("ink", "accent"),
    ("danger", "card")])
def test_the_palette_has_enough_contrast(text, background):
    colours = palette()
    assert contrast(colours[text], colours[background]) >= 4.5


@pytest.mark.parametrize("background", ["brand", "brand-dark", "danger"])
def test_white_text_on_buttons_has_enough_contrast(background):
    assert contrast("#ffffff", palette()[background]) >= 4.5
