"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

Mark such tests `@pytest.mark.browser` and use the `page` fixture (a fresh context per
test, phone-sized by default; call `page.set_viewport_size(...)` for desktop). Where
Chromium is not installed (a user's fresh clone) they skip with the reason; `.ci/run`
installs it, so they always run in CI.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LOUISE_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
ROOT = Path(__file__).resolve().parents[2]
# The README's screenshots are refreshed on purpose (`make screenshots`); ordinary test
# runs write theirs under var/ so they do not churn the tracked images.
SCREENSHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("LOUISE_SCREENSHOTS")
               else ROOT / "var" / "screenshots")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="de-DE", base_url=live_server.url,
                                  timezone_id="Europe/Berlin")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot (docs/screenshots/ with LOUISE_SCREENSHOTS=1)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str, next_url: str, password: str | None = None) -> None:
    """Sign in through the login form and wait for the page behind it."""
    from louise.conftest import PASSWORD

    page.goto(f"/konto/anmelden/?next={next_url}")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password or PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{next_url}")


def signed_in(username: str):
    """A Django test client with `username`'s session (password of the fixtures), signed in
    through the login page: `Client.login` passes no request, which the sign-in throttle
    (django-axes) needs."""
    from django.test import Client

    from louise.conftest import PASSWORD

    client = Client()
    response = client.post("/konto/anmelden/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    return client
