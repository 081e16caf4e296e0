"""Invitations by signed link, one mechanism for every newcomer LOUISE does not let sign up
alone: a shop's staff and owner, a town's riders, dispatchers and hotline agents.

There is no table: the link carries a signed, expiring token naming the kind of invitation,
the e-mail address, who invited and the one object the kind is about (a shop, a town).
Whoever opens it picks a username and password; the kind decides what the new account
becomes. The link works once because an e-mail address can belong to one account only.

accounts cannot name shops or towns, so each app registers its own kinds here with
`invitation_kind` (next to the services that make its links), the way access rules are
registered with `scope_rule`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from louise.core.errors import Invalid
from louise.core.mail import mail_queue

from .access import town_ids
from .audit import audit_record
from .models import User

SALT = "louise.staff-invitation"  # the shop's staff links came first: theirs stays valid
VALID_FOR = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    kind: str
    email: str
    invited_by: int
    target: int  # the shop or town the kind is about


@dataclass(frozen=True)
class Newcomer:
    """What the invited person types on the link's page."""

    username: str
    password: str
    first_name: str
    last_name: str = ""


@dataclass(frozen=True)
class Kind:
    # Make the account (raising `Invalid` when the shop or town is gone).
    accept: Callable[[Invitation, Newcomer], User]
    # One line for the link's page: "Fahrerin / Fahrer in Bottrop".
    describe: Callable[[Invitation], str]


_KINDS: dict[str, Kind] = {}


def invitation_kind(name: str, *, accept: Callable[[Invitation, Newcomer], User],
                    describe: Callable[[Invitation], str]) -> None:
    """Register a kind of invitation (once, by the app whose objects it names)."""
    _KINDS[name] = Kind(accept=accept, describe=describe)


def email_unused(email: str) -> str:
    """The address, normalised, if no account has it yet: an invitation to an address that
    already has an account could never be accepted."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Invalid("Zu dieser E-Mail-Adresse gibt es schon ein Konto.", field="email",
                      code="taken")
    return email


@dataclass(frozen=True)
class Sent:
    link: str
    email: str  # as the link names it (trimmed, lower case)


def invitation_send(*, kind: str, email: str, by: User, target: int, base_url: str,
                    subject: str, what: str) -> Sent:
    """Make the signed link for one newcomer and mail it once the transaction commits; the
    link is returned too, to hand it over by messenger. The caller checked that `by` may
    invite them; `what` ends the sentence "<by> lädt Sie ein, …"."""
    if kind not in _KINDS:
        raise ImproperlyConfigured(f"Unbekannte Art von Einladung „{kind}“.")
    email = email_unused(email)
    token = signing.dumps({"k": kind, "e": email, "by": by.pk, "t": target}, salt=SALT)
    link = f"{base_url.rstrip('/')}/einladung/{token}/"
    mail_queue(subject=subject, to=[email],
               body=f"{by.display_name} lädt Sie ein, {what}\n\n"
                    f"Konto anlegen (7 Tage gültig):\n{link}\n")
    return Sent(link=link, email=email)


def invitation_read(*, token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired as exc:
        raise Invalid("Diese Einladung ist abgelaufen. Bitte lassen Sie sich neu einladen.",
                      code="expired") from exc
    except signing.BadSignature as exc:
        raise Invalid("Dieser Einladungslink ist ungültig.", code="bad_token") from exc
    # Links made before there were kinds named a shop ("m") and meant its staff.
    kind, target = data.get("k", "staff"), data.get("t", data.get("m"))
    if kind not in _KINDS or not isinstance(target, int):
        raise Invalid("Dieser Einladungslink ist ungültig.", code="bad_token")
    return Invitation(kind=kind, email=data["e"], invited_by=data["by"], target=target)


def invitation_describe(invitation: Invitation) -> str:
    return _KINDS[invitation.kind].describe(invitation)


@transaction.atomic
def invitation_accept(*, token: str, newcomer: Newcomer) -> User:
    """Make the invited person's account, audited in the town it belongs to."""
    invitation = invitation_read(token=token)
    user = _KINDS[invitation.kind].accept(invitation, Newcomer(
        username=newcomer.username.strip(), password=newcomer.password,
        first_name=newcomer.first_name.strip(), last_name=newcomer.last_name.strip()))
    inviter = User.objects.filter(pk=invitation.invited_by).first()
    towns = town_ids(user)
    audit_record(by=user, action="angelegt", obj=user, town_id=towns[0] if towns else None,
                 note=f"per Einladung von {inviter.display_name if inviter else 'unbekannt'}")
    return user
