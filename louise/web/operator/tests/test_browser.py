"""The town's operator at the zones' map in a real browser: draws a zone, switches one off,
and is told in German why a pasted point is no zone."""

import re

import pytest
from playwright.sync_api import expect

from louise.geo.models import Zone
from louise.web.conftest import DESKTOP, screenshot, sign_in

# Corners of the drawn zone on the map (pixels from its top left corner).
CORNERS = [(250, 120), (450, 130), (430, 300), (240, 280)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stadt_draws_a_zone_switches_one_off_and_a_pasted_point_is_refused(page, two_towns):
    # given the town's operator in the console
    page.set_viewport_size(DESKTOP)
    sign_in(page, "stadt", "/betrieb/")
    page.get_by_role("link", name="Zonen").click()
    page.get_by_role("link", name="Neue Zone").click()
    # when they name a zone for bikes and draw its area with the polygon tool
    page.get_by_label("Name", exact=True).fill("Altmarkt")
    page.get_by_label("E-Lastenrad").check()
    page.get_by_role("link", name="Fläche zeichnen").click()
    drawing = page.locator("#zone-map")
    corners = drawing.locator(".leaflet-editing-icon")
    for n, (x, y) in enumerate(CORNERS, start=1):
        # Leaflet.draw ignores a click within 50 ms of the last corner (a person is slower)
        for _attempt in range(50):
            if corners.count() == n:
                break
            drawing.click(position={"x": x, "y": y})
        expect(corners).to_have_count(n)
    page.get_by_role("link", name="Fertig").click()
    # then the drawing is the form's GeoJSON, and saving stores the polygon
    expect(page.locator("textarea[name=area]")).to_have_value(re.compile(r'"type":"Polygon"'))
    screenshot(page, "operator-zone-drawn")
    page.get_by_role("button", name="Zone speichern").click()
    expect(page.get_by_text("Die Zone ist gespeichert.")).to_be_visible()
    ring = Zone.objects.get(name="Altmarkt").area["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert all(6.8 < lon < 7.1 and 51.4 < lat < 51.6 for lon, lat in ring)  # lon/lat order
    expect(page.locator("#zones-map path.leaflet-interactive")).to_have_count(1)

    # when they switch the zone "Mitte" off
    page.locator('tr[data-zone="Mitte"]').get_by_role("button", name="Ausschalten").click()
    # then it shows so, and is off
    expect(page.locator('tr[data-zone="Mitte"] .badge')).to_have_text("ausgeschaltet")
    assert not Zone.objects.get(name="Mitte").active
    screenshot(page, "operator-zones")

    # when they paste a point instead of a polygon
    page.get_by_role("link", name="Neue Zone").click()
    page.get_by_label("Name", exact=True).fill("Kiosk")
    page.get_by_label("E-Lastenrad").check()
    page.locator("textarea[name=area]").fill('{"type": "Point", "coordinates": [6.93, 51.52]}')
    page.get_by_role("button", name="Zone speichern").click()
    # then the page says why, in German, and nothing is stored
    expect(page.get_by_text("Nichts gespeichert")).to_be_visible()
    expect(page.get_by_text("Das ist keine Fläche: GeoJSON-Typ „Point“")).to_be_visible()
    assert not Zone.objects.filter(name="Kiosk").exists()
    screenshot(page, "operator-zone-refused")
