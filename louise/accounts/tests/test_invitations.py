"""The one invitation mechanism: signed, expiring, once only, for a free e-mail address.
Tried with the rider kind (registered by logistics) and the shop's older links."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from louise.accounts.invitations import (
    SALT,
    Newcomer,
    invitation_accept,
    invitation_read,
    invitation_send,
)
from louise.accounts.models import AuditEntry, Role, User
from louise.core.errors import Invalid

from ...conftest import make_user, the_town

NINA = Newcomer(username=" nina ", password="Fahr-Passwort-2026", first_name=" Nina ",
                last_name="Rad")


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def operator(db):
    return make_user("betrieb", Role.OPERATOR)


def rider_link(by, email: str = "Nina@Example.org ") -> str:
    return invitation_send(kind="rider", email=email, by=by, target=the_town().pk,
                           base_url="https://louise.example/", subject="Einladung",
                           what="mitzufahren.").link


def test_the_link_names_kind_address_inviter_and_town(operator, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = rider_link(operator)
    assert link.startswith("https://louise.example/einladung/")
    [mail] = mailoutbox
    assert mail.to == ["nina@example.org"]
    assert mail.body == ("betrieb Test lädt Sie ein, mitzufahren.\n\n"
                         f"Konto anlegen (7 Tage gültig):\n{link}\n")
    invitation = invitation_read(token=token_of(link))
    assert (invitation.kind, invitation.email, invitation.invited_by, invitation.target) == (
        "rider", "nina@example.org", operator.pk, the_town().pk)


def test_accepting_makes_the_account_of_the_kind_once_and_audits_it(operator):
    # given
    token = token_of(rider_link(operator))
    # when
    nina = invitation_accept(token=token, newcomer=NINA)
    # then: a rider of the town, names trimmed
    assert (nina.username, nina.first_name, nina.role, nina.email) == (
        "nina", "Nina", Role.RIDER, "nina@example.org")
    assert list(nina.towns.all()) == [the_town()]
    entry = AuditEntry.objects.get(action="angelegt", object_id=str(nina.pk))
    assert (entry.by, entry.town, entry.changes["notiz"]) == (
        nina, the_town(), "per Einladung von betrieb Test")
    # and the link works once only
    with pytest.raises(Invalid, match="schon ein Konto"):
        invitation_accept(token=token, newcomer=Newcomer("nina2", "Fahr-Passwort-2026", "N"))
    assert User.objects.filter(email="nina@example.org").count() == 1


def test_no_link_for_an_address_that_has_an_account(operator):
    make_user("vorhanden")
    with pytest.raises(Invalid, match="schon ein Konto") as error:
        rider_link(operator, email="VORHANDEN@example.org")
    assert error.value.field == "email"


def test_the_link_expires_after_seven_days(operator):
    # given a link made now
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        token = token_of(rider_link(operator))
    # when / then: on the seventh day it still works, a second later it does not
    with time_machine.travel(now + timedelta(days=7) - timedelta(seconds=1), tick=False):
        assert invitation_read(token=token).kind == "rider"
    with (time_machine.travel(now + timedelta(days=7, seconds=1), tick=False),
          pytest.raises(Invalid, match="abgelaufen") as error):
        invitation_accept(token=token, newcomer=NINA)
    assert error.value.code == "expired"
    assert not User.objects.filter(username="nina").exists()


@pytest.mark.parametrize("payload", [
    {"k": "operator", "e": "x@example.org", "by": 1, "t": 1},  # a kind nobody registered
    {"k": "rider", "e": "x@example.org", "by": 1, "t": "1"},  # not a row id
])
def test_a_signed_token_of_no_known_shape_is_refused(db, payload):
    with pytest.raises(Invalid, match="ungültig"):
        invitation_read(token=signing.dumps(payload, salt=SALT))


def test_a_token_signed_for_something_else_is_refused(operator):
    token = signing.dumps({"k": "rider", "e": "x@example.org", "by": 1, "t": 1},
                          salt="louise.other-purpose")
    with pytest.raises(Invalid, match="ungültig") as error:
        invitation_read(token=token)
    assert error.value.code == "bad_token"


def test_a_shop_staff_link_made_before_the_kinds_still_works(shop):
    # given a link in the shop's first format: shop "m", e-mail, inviter
    token = signing.dumps({"m": shop["merchant"].pk, "e": "alt@example.org",
                           "by": shop["staff"].pk}, salt=SALT)
    # when
    person = invitation_accept(token=token, newcomer=Newcomer("alt", "Laden-Passwort-2026",
                                                              "Alt"))
    # then
    assert (person.role, person.merchant) == (Role.MERCHANT, shop["merchant"])
