"""The operator's side of a shop: onboarding inside an active zone of the town, the owner's
invitation, pausing, the staff's access; each refused for another town or another role,
each audited."""

import pytest
from django.test import Client

from louise.accounts.invitations import Newcomer, invitation_accept
from louise.accounts.models import ApiToken, AuditEntry, Role, User
from louise.catalog.invitations import (
    owner_invitation_create,
    staff_access_set,
    staff_invitation_create,
)
from louise.catalog.models import Merchant
from louise.catalog.onboarding import merchant_active_set, merchant_onboard
from louise.catalog.selectors import merchant_list, merchant_team, merchants_of_town
from louise.core.errors import Forbidden, Invalid, NotFound

from ...conftest import OPEN_ALL_WEEK, make_user, order_placed, other_town, the_town

HOUSE = {"street": "Gartenstraße 5", "postcode": "46236", "lat": 51.5280, "lon": 6.9350}


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def operator(town):
    return make_user("betrieb", Role.OPERATOR)


def onboard(by, name: str = "Teeladen", **changes) -> Merchant:
    return merchant_onboard(by=by, town=the_town(), name=name, category="grocery",
                            **{**HOUSE, "opening_hours": OPEN_ALL_WEEK, **changes})


def test_a_shop_in_an_active_zone_is_onboarded_and_audited(operator):
    # when
    shop = onboard(operator, district="Stadtmitte")
    # then
    assert (shop.town, shop.active, shop.city, shop.slug) == (the_town(), True, "Bottrop",
                                                               "teeladen")
    entry = AuditEntry.objects.get(model="Geschäft", object_id=str(shop.pk))
    assert (entry.by, entry.action, entry.town) == (operator, "angelegt", the_town())


@pytest.mark.parametrize(("changes", "message"), [
    ({"postcode": "46045"}, "keiner aktiven Zone von Bottrop"),  # a zone switched off
    ({"postcode": "45964"}, "keiner aktiven Zone von Bottrop"),  # no zone of this town
    ({"name": "  "}, "Namen des Geschäfts"),
    ({"name": "buchladen eins"}, "gibt es schon"),
    ({"opening_hours": {"0": [["18:00", "09:00"]]}}, "Beginn muss vor Ende"),
])
def test_bad_onboarding_is_refused_with_a_german_message_and_changes_nothing(
        operator, shop, changes, message):
    with pytest.raises(Invalid, match=message):
        onboard(operator, **changes)
    assert Merchant.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_only_the_towns_operator_onboards(operator, staff_users):
    gladbeck = other_town()
    for role in (Role.DISPATCHER, Role.HOTLINE, Role.RIDER):
        with pytest.raises(Forbidden):
            onboard(staff_users[role])
    with pytest.raises(NotFound):
        merchant_onboard(by=operator, town=gladbeck, name="Fremd", category="books",
                         street="Hochstraße 1", postcode="45964", lat=51.57, lon=6.98)
    assert not Merchant.objects.exists()


def test_the_operator_invites_the_owner_who_then_owns_the_shop(
        operator, mailoutbox, django_capture_on_commit_callbacks):
    # given a new shop
    shop = onboard(operator)
    # when the operator invites its owner, and the owner accepts
    with django_capture_on_commit_callbacks(execute=True):
        link = owner_invitation_create(by=operator, merchant_id=shop.pk,
                                       email="inhaberin@example.org",
                                       base_url="http://testserver/")
    owner = invitation_accept(token=token_of(link), newcomer=Newcomer(
        "tee", "Laden-Passwort-2026", "Tina", "Tee"))
    # then: the mail carried the link, the owner has the owner's right in that shop
    [mail] = mailoutbox
    assert mail.to == ["inhaberin@example.org"] and link in mail.body
    assert (owner.role, owner.merchant) == (Role.MERCHANT, shop)
    assert User.objects.get(pk=owner.pk).has_perm("catalog.manage_shop")
    assert [(m.person, m.is_owner) for m in merchant_team(merchant=shop)] == [(owner, True)]
    [row] = merchants_of_town(user=operator, town_id=the_town().pk)
    assert (row.staff_count, row.owners) == (1, ["Tina Tee"])
    assert list(AuditEntry.objects.order_by("id").values_list("action", "model")) == [
        ("angelegt", "Geschäft"), ("eingeladen", "Geschäft"), ("angelegt", "Benutzer")]


def test_owner_invitations_stay_in_the_operators_town(operator, shop, staff_users):
    # given a shop of another town
    gladbeck = other_town()
    foreign = Merchant.objects.create(name="Fremder Laden", slug="fremder-laden",
                                      category="books", town=gladbeck, **{
                                          **HOUSE, "postcode": "45964"})
    # when / then: its operator does not know it, other roles may not invite owners
    with pytest.raises(NotFound):
        owner_invitation_create(by=operator, merchant_id=foreign.pk, email="x@example.org",
                                base_url="http://testserver/")
    with pytest.raises(Forbidden):
        owner_invitation_create(by=staff_users[Role.DISPATCHER],
                                merchant_id=shop["merchant"].pk, email="x@example.org",
                                base_url="http://testserver/")
    # and a shop's staff who is no owner invites nobody
    with pytest.raises(Forbidden):
        staff_invitation_create(by=shop["staff"], email="x@example.org",
                                base_url="http://testserver/")
    # and a region operator may
    region = make_user("region", Role.OPERATOR, all_towns=True)
    assert "/einladung/" in owner_invitation_create(
        by=region, merchant_id=foreign.pk, email="x@example.org", base_url="http://t/")


def test_a_paused_shop_leaves_the_catalogue_but_keeps_its_open_orders(operator, shop,
                                                                      customer):
    # given an open order of the shop
    order = order_placed(customer[0], shop["product"])
    # when it is paused
    merchant_active_set(by=operator, merchant_id=shop["merchant"].pk, active=False)
    # then
    assert shop["merchant"] not in merchant_list()
    assert Client().get(f"/geschaefte/{shop['merchant'].slug}/").status_code == 404
    order.refresh_from_db()
    assert order.status == "placed"
    entry = AuditEntry.objects.get(action="pausiert")
    assert entry.changes == {"active": [True, False]}
    # and resumed, it is back
    merchant_active_set(by=operator, merchant_id=shop["merchant"].pk, active=True)
    assert shop["merchant"] in merchant_list()
    assert Client().get(f"/geschaefte/{shop['merchant'].slug}/").status_code == 200


def test_pausing_is_for_the_towns_operator_only(operator, shop, staff_users):
    gladbeck_operator = make_user("gladbeck", Role.OPERATOR, town_ids=[other_town().pk])
    with pytest.raises(NotFound):
        merchant_active_set(by=gladbeck_operator, merchant_id=shop["merchant"].pk,
                            active=False)
    for person in (staff_users[Role.DISPATCHER], shop["staff"]):
        with pytest.raises(Forbidden):
            merchant_active_set(by=person, merchant_id=shop["merchant"].pk, active=False)
    assert Merchant.objects.get(pk=shop["merchant"].pk).active


def test_the_operator_removes_a_staff_members_access(operator, shop, other_shop):
    # given the staff member's API token
    staff = shop["staff"]
    ApiToken.objects.create(user=staff, key_hash="h", expires_at="2099-01-01T00:00Z")
    # when
    staff_access_set(by=operator, user_id=staff.pk, active=False)
    # then
    staff.refresh_from_db()
    assert not staff.is_active and not staff.api_tokens.exists()
    entry = AuditEntry.objects.get(action="gesperrt")
    assert (entry.by, entry.town, entry.changes) == (operator, the_town(),
                                                     {"is_active": [True, False]})
    # and an operator of another town cannot touch the other shop's staff
    gladbeck_operator = make_user("gladbeck", Role.OPERATOR, town_ids=[other_town().pk])
    with pytest.raises(NotFound):
        staff_access_set(by=gladbeck_operator, user_id=other_shop["staff"].pk, active=False)
    # nor the dispatcher
    with pytest.raises(Forbidden):
        staff_access_set(by=make_user("dispo", Role.DISPATCHER), user_id=staff.pk,
                         active=True)
