"""The operator's team, shops and audit pages: who may open them (403 for every other role),
what a town's operator reaches (404 for another town's people and shops), the invitation
link's page, and Django's admin kept for superusers."""

import pytest
from django.test import Client

from louise.accounts.audit import audit_record
from louise.accounts.models import AuditEntry, Role, User
from louise.catalog.models import Merchant
from louise.conftest import make_user, other_town, the_town
from louise.web.conftest import signed_in

GET_PAGES = ["/betrieb/leute/", "/betrieb/geschaefte/", "/betrieb/geschaefte/neu/",
             "/betrieb/geschaefte/adressen.json?q=gart", "/betrieb/protokoll/"]


@pytest.fixture
def operator(staff_users, shop) -> Client:
    return signed_in("operator")


@pytest.fixture
def gladbeck(db):
    """Another town with its rider and shop, and their ids for the URLs."""
    town = other_town()
    rider = make_user("gladbecker", Role.RIDER, town_ids=[town.pk])
    merchant = Merchant.objects.create(name="Gladbecker Laden", slug="gladbecker-laden",
                                       category="books", town=town, street="Hochstraße 1",
                                       postcode="45964", lat=51.57, lon=6.98)
    staff = make_user("gladbeckladen", Role.MERCHANT, merchant=merchant)
    return {"town": town, "rider": rider, "merchant": merchant, "staff": staff}


@pytest.mark.django_db
def test_the_pages_are_the_operators_only(staff_users, shop, customer):
    merchant, rider, staff = shop["merchant"].pk, staff_users[Role.RIDER].pk, shop["staff"].pk
    posts = [f"/betrieb/geschaefte/{merchant}/status/", f"/betrieb/leute/{rider}/zugang/",
             f"/betrieb/leute/{rider}/entfernen/",
             f"/betrieb/geschaefte/{merchant}/team/{staff}/zugang/"]
    for path in [*GET_PAGES, f"/betrieb/geschaefte/{merchant}/"]:
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
        for username in ("kundin", "laden1", "rider", "hotline", "dispatcher"):
            assert signed_in(username).get(path).status_code == 403, (path, username)
        assert signed_in("operator").get(path).status_code == 200, path
    for path in posts:
        for username in ("kundin", "laden1", "rider", "hotline", "dispatcher"):
            assert signed_in(username).post(path, {"active": "0"}).status_code == 403, path
    assert Merchant.objects.get(pk=merchant).active
    assert not User.objects.filter(is_active=False).exists()
    assert User.objects.get(pk=rider).towns.exists()


@pytest.mark.django_db
def test_another_towns_shops_and_people_are_404(operator, gladbeck):
    merchant, rider, staff = gladbeck["merchant"].pk, gladbeck["rider"].pk, gladbeck["staff"].pk
    assert operator.get(f"/betrieb/geschaefte/{merchant}/").status_code == 404
    for path in (f"/betrieb/geschaefte/{merchant}/status/",
                 f"/betrieb/geschaefte/{merchant}/team/{staff}/zugang/",
                 f"/betrieb/leute/{rider}/zugang/", f"/betrieb/leute/{rider}/entfernen/"):
        assert operator.post(path, {"active": "0"}).status_code == 404, path
    assert operator.get("/betrieb/leute/?stadt=gladbeck").status_code == 404
    # and nothing of theirs shows in the lists
    assert "Gladbecker" not in operator.get("/betrieb/geschaefte/").content.decode()
    assert "gladbecker" not in operator.get("/betrieb/leute/").content.decode()
    assert Merchant.objects.get(pk=merchant).active
    assert User.objects.get(pk=rider).is_active and User.objects.get(pk=staff).is_active


@pytest.mark.django_db
def test_the_region_operator_sees_every_towns_people(staff_users, gladbeck):
    make_user("region", Role.OPERATOR, all_towns=True)
    page = signed_in("region").get("/betrieb/leute/").content.decode()
    assert "gladbecker" in page and "dispatcher Test" in page
    assert "Gladbeck" in page  # the towns column


@pytest.mark.django_db
def test_invite_a_rider_and_the_link_lands_them_in_the_rider_app(
        operator, mailoutbox, django_capture_on_commit_callbacks):
    # when the operator invites
    with django_capture_on_commit_callbacks(execute=True):
        page = operator.post("/betrieb/leute/", {"role": "rider", "email": "rad@example.org"})
    # then the page shows the link to copy, the mail carries it
    link = page.context["link"]
    assert f'value="{link}"' in page.content.decode()
    [mail] = mailoutbox
    assert link in mail.body
    # when the rider follows it
    newcomer = Client()
    path = link.removeprefix("http://testserver")
    assert "Fahrerin / Fahrer in Bottrop" in newcomer.get(path).content.decode()
    response = newcomer.post(path, {"first_name": "Rita", "last_name": "Rad",
                                    "username": "rita", "password": "Fahr-Passwort-2026"})
    # then
    assert response["Location"] == "/fahrer/"
    assert newcomer.get("/fahrer/").status_code == 200
    assert list(User.objects.get(username="rita").towns.all()) == [the_town()]


@pytest.mark.django_db
def test_a_bad_invitation_says_why(operator):
    page = operator.post("/betrieb/leute/", {"role": "operator", "email": "x@example.org"})
    assert "operator ist keine gültige Auswahl" in page.content.decode()
    page = operator.post("/betrieb/leute/", {"role": "rider", "email": "rider@example.org"})
    assert "schon ein Konto" in page.content.decode()
    assert page.context["link"] is None
    bad = Client().get("/einladung/abc:def/")
    assert bad.status_code == 400 and "ungültig" in bad.content.decode()
    join = Client().post("/einladung/abc:def/", {"username": "x"})
    assert join.status_code == 400 and not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_block_a_rider_from_the_people_page(operator, staff_users):
    # given the rider signed in on their phone
    rider = staff_users[Role.RIDER]
    phone = signed_in("rider")
    assert phone.get("/fahrer/").status_code == 200
    # when the operator blocks them
    response = operator.post(f"/betrieb/leute/{rider.pk}/zugang/", {"active": "0"},
                             follow=True)
    # then
    assert "rider Test: Zugang gesperrt." in response.content.decode()
    assert not User.objects.get(pk=rider.pk).is_active
    assert phone.get("/fahrer/")["Location"].startswith("/konto/anmelden/")
    assert signed_in("operator").post(f"/betrieb/leute/{staff_users[Role.OPERATOR].pk}"
                                      "/zugang/", {"active": "0"}, follow=True
                                      ).status_code == 200
    assert User.objects.get(username="operator").is_active  # not oneself


@pytest.mark.django_db
def test_onboarding_needs_a_chosen_address_in_an_active_zone(operator):
    form = {"name": "Teeladen", "category": "grocery", "street": "Gartenstraße 5",
            "postcode": "46236", "h-d0_open1": "09:00", "h-d0_close1": "18:00"}
    # when the address was typed, not chosen
    page = operator.post("/betrieb/geschaefte/neu/", form).content.decode()
    assert "aus der Vorschlagsliste" in page
    # when it lies in a zone switched off
    page = operator.post("/betrieb/geschaefte/neu/", {
        **form, "postcode": "46045", "lat": "51.47", "lon": "6.85"}).content.decode()
    assert "keiner aktiven Zone von Bottrop" in page
    assert not Merchant.objects.filter(name="Teeladen").exists()
    # when it is right
    response = operator.post("/betrieb/geschaefte/neu/", {**form, "lat": "51.528",
                                                          "lon": "6.935"})
    tea = Merchant.objects.get(name="Teeladen")
    assert response["Location"] == f"/betrieb/geschaefte/{tea.pk}/"
    assert tea.opening_hours == {"0": [["09:00", "18:00"]]}


@pytest.mark.django_db
def test_the_shop_page_lists_its_staff_and_pauses_it(operator, shop):
    merchant = shop["merchant"]
    page = operator.get(f"/betrieb/geschaefte/{merchant.pk}/").content.decode()
    assert "laden1@example.org" in page and "Zugang entziehen" in page
    operator.post(f"/betrieb/geschaefte/{merchant.pk}/status/", {"active": "0"})
    assert not Merchant.objects.get(pk=merchant.pk).active
    listing = operator.get("/betrieb/geschaefte/").content.decode()
    assert "pausiert" in listing
    operator.post(f"/betrieb/geschaefte/{merchant.pk}/team/{shop['staff'].pk}/zugang/",
                  {"active": "0"})
    assert not User.objects.get(pk=shop["staff"].pk).is_active


@pytest.mark.django_db
def test_the_audit_page_shows_the_towns_trail_newest_first_filtered_and_paged(
        operator, staff_users, shop, gladbeck):
    # given 60 changes here by the operator, one by the dispatcher, one in Gladbeck
    boss, dispo = staff_users[Role.OPERATOR], staff_users[Role.DISPATCHER]
    for n in range(60):
        audit_record(by=boss, action="geändert", obj=shop["merchant"], note=f"Nr. {n}")
    audit_record(by=dispo, action="angelegt", obj=the_town(), note="neueste")
    audit_record(by=boss, action="angelegt", obj=gladbeck["merchant"])
    # when
    first = operator.get("/betrieb/protokoll/")
    # then: 50 per page, newest first, nothing of Gladbeck
    entries = list(first.context["page"])
    assert len(entries) == 50 and entries[0].changes == {"notiz": "neueste"}
    assert "Gladbecker" not in first.content.decode()
    assert len(operator.get("/betrieb/protokoll/?seite=2").context["page"]) == 11
    # and filtered by kind of object and by person
    towns = operator.get("/betrieb/protokoll/?art=Stadt").context["page"]
    assert [e.by for e in towns] == [dispo]
    mine = operator.get(f"/betrieb/protokoll/?person={boss.pk}").context["page"]
    assert mine.paginator.count == 60
    assert first.context["models"] == ["Geschäft", "Stadt"]
    assert AuditEntry.objects.count() == 62


@pytest.mark.django_db
def test_the_audit_page_writes_changes_as_old_to_new(operator, shop):
    from louise.accounts.audit import snapshot

    merchant = shop["merchant"]
    before = snapshot(merchant)
    merchant.active = False
    audit_record(by=None, action="pausiert", obj=merchant, before=before)
    assert "active: True → False" in operator.get("/betrieb/protokoll/").content.decode()


@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(staff_users):
    # given an operator who was made `is_staff` by mistake, and a superuser
    User.objects.filter(username="operator").update(is_staff=True)
    User.objects.create_superuser("root", "root@example.org", "Root-Passwort-2026")
    # when / then
    refused = signed_in("operator").get("/admin/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    root = Client()
    root.post("/konto/anmelden/", {"username": "root", "password": "Root-Passwort-2026"})
    assert root.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_operators_sign_in_lands_in_the_console(staff_users):
    client = Client()
    response = client.post("/konto/anmelden/", {"username": "operator",
                                                "password": "test-pass-123"}, follow=True)
    assert response.redirect_chain[-1][0] == "/betrieb/"
    assert 'href="/betrieb/leute/"' in response.content.decode()
