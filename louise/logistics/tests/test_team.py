"""The town's team: riders, dispatchers and hotline invited for a town, blocked (their
coming shifts end, or are listed when a tour hangs on them), taken off a town; refused for
other towns and other roles, audited."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from louise.accounts.invitations import Newcomer, invitation_accept
from louise.accounts.models import ApiToken, AuditEntry, Role
from louise.accounts.selectors import team_of
from louise.core.calendar import BERLIN
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.logistics.models import Shift
from louise.logistics.services import shift_create
from louise.logistics.team import (
    person_active_set,
    person_town_remove,
    shifts_to_reassign,
    team_invitation_create,
)

from ...conftest import MONDAY_MORNING, make_user, other_town, the_town


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def operator(staff_users):
    return staff_users[Role.OPERATOR]


@pytest.mark.parametrize("role", [Role.RIDER, Role.DISPATCHER, Role.HOTLINE, Role.HUB])
def test_an_invited_person_joins_the_town_in_the_invited_role(
        operator, role, mailoutbox, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        link = team_invitation_create(by=operator, town=the_town(), role=role,
                                      email="neu@example.org", base_url="http://testserver/")
    person = invitation_accept(token=token_of(link), newcomer=Newcomer(
        "neu", "Team-Passwort-2026", "Neu"))
    # then
    [mail] = mailoutbox
    assert mail.subject == "Einladung zu LOUISE Bottrop" and link in mail.body
    assert (person.role, list(person.towns.all()), person.all_towns) == (
        role, [the_town()], False)
    assert AuditEntry.objects.filter(action="eingeladen", model="Stadt",
                                     changes__notiz__endswith="neu@example.org").exists()


def test_nobody_is_invited_as_operator_customer_or_shop_staff(operator):
    for role in (Role.OPERATOR, Role.CUSTOMER, Role.MERCHANT, "chef"):
        with pytest.raises(Invalid, match="Einladen lassen sich"):
            team_invitation_create(by=operator, town=the_town(), role=role,
                                   email="x@example.org", base_url="http://t/")
    assert not AuditEntry.objects.exists()


def test_only_an_operator_of_the_town_invites(staff_users, operator):
    gladbeck = other_town()
    with pytest.raises(NotFound):
        team_invitation_create(by=operator, town=gladbeck, role=Role.RIDER,
                               email="x@example.org", base_url="http://t/")
    with pytest.raises(Forbidden):
        team_invitation_create(by=staff_users[Role.DISPATCHER], town=the_town(),
                               role=Role.RIDER, email="x@example.org", base_url="http://t/")


def test_an_invitation_to_a_town_switched_off_cannot_be_accepted(operator):
    link = team_invitation_create(by=operator, town=the_town(), role=Role.RIDER,
                                  email="x@example.org", base_url="http://t/")
    type(the_town()).objects.update(active=False)
    with pytest.raises(Invalid, match="nicht mehr unterwegs"):
        invitation_accept(token=token_of(link), newcomer=Newcomer("x", "Team-Passwort-2026",
                                                                  "X"))


def tuesday_shift(rider, vehicle) -> Shift:
    tuesday = MONDAY_MORNING.date() + timedelta(days=1)
    return shift_create(rider=rider, vehicle=vehicle,
                        starts_at=datetime.combine(tuesday, time(14), BERLIN),
                        ends_at=datetime.combine(tuesday, time(21), BERLIN))


def test_a_blocked_rider_loses_free_shifts_and_tokens_and_tours_are_listed(
        drafts, operator, town):
    # given: the rider's Monday shift carries the draft tour, Tuesday's carries none
    rider = drafts[0].shift.rider
    monday = drafts[0].shift
    tuesday = tuesday_shift(rider, town["bike"])
    ApiToken.objects.create(user=rider, key_hash="h", expires_at="2099-01-01T00:00Z")
    # when
    result = person_active_set(by=operator, person_id=rider.pk, active=False)
    # then
    rider.refresh_from_db()
    assert not rider.is_active and not rider.api_tokens.exists()
    assert (result.deleted, result.to_reassign) == (1, [monday])
    assert not Shift.objects.filter(pk=tuesday.pk).exists()
    assert list(shifts_to_reassign(by=operator, town=the_town())) == [monday]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "model")) == [
        ("gesperrt", "Benutzer"), ("gelöscht", "Schicht")]
    # and let back in, nothing more to reassign
    person_active_set(by=operator, person_id=rider.pk, active=True)
    assert list(shifts_to_reassign(by=operator, town=the_town())) == []


def test_a_rider_off_the_town_keeps_the_account_but_not_the_towns_shifts(
        shifts, operator, town):
    # given a rider of two towns with a shift here
    rider = shifts[0].rider
    gladbeck = other_town()
    gladbeck.staff.add(rider)
    # when
    result = person_town_remove(by=operator, person_id=rider.pk, town=the_town())
    # then
    assert result.deleted == 1 and not Shift.objects.filter(pk=shifts[0].pk).exists()
    rider.refresh_from_db()
    assert rider.is_active and list(rider.towns.all()) == [gladbeck]
    assert rider not in team_of(user=operator, town_id=the_town().pk)
    entry = AuditEntry.objects.get(action="aus Team entfernt")
    assert (entry.town, entry.by) == (the_town(), operator)
    # and a second time it is refused: no longer in the team
    with pytest.raises(NotFound):
        person_town_remove(by=operator, person_id=rider.pk, town=the_town())


def test_people_of_other_towns_and_oneself_are_out_of_reach(operator, staff_users):
    gladbeck = other_town()
    stranger = make_user("fremd", Role.RIDER, town_ids=[gladbeck.pk])
    customer = make_user("kundin")
    region = make_user("region", Role.OPERATOR, all_towns=True)
    for person in (stranger, customer, region):
        with pytest.raises(NotFound):
            person_active_set(by=operator, person_id=person.pk, active=False)
    with pytest.raises(Invalid, match="selbst"):
        person_active_set(by=operator, person_id=operator.pk, active=False)
    with pytest.raises(Forbidden):
        person_active_set(by=staff_users[Role.DISPATCHER],
                          person_id=staff_users[Role.RIDER].pk, active=False)
    # but the region's operator reaches everyone of every town
    person_active_set(by=region, person_id=stranger.pk, active=False)
    assert set(team_of(user=region, town_id=None)) >= {stranger, operator, region}
    assert set(team_of(user=operator, town_id=None)) == set(staff_users.values())
