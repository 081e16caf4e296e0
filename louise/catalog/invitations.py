"""The shop's people: its owner invites staff, the town's operator invites the owner of a
shop just onboarded, both through the one invitation mechanism of `accounts.invitations`;
the owner (or the operator) blocks a colleague's login.

The owner's right is a permission (`accounts.access.OWNER_PERMISSION`), so an owner is an
ordinary member of the merchant role who may also invite staff and see the turnover.
"""

from collections.abc import Callable

from django.contrib.auth.models import Permission
from django.db import transaction

from louise.accounts.access import (
    OWNER_PERMISSION,
    has_role,
    require_role,
    require_shop_owner,
    visible_to,
)
from louise.accounts.audit import audit_record, snapshot
from louise.accounts.invitations import Invitation, Newcomer, invitation_kind, invitation_send
from louise.accounts.models import ApiToken, Role, User
from louise.accounts.services import user_create
from louise.core.errors import Invalid, NotFound

from .models import Merchant
from .selectors import merchant_for_operator

STAFF_INVITE, OWNER_INVITE = "staff", "owner"  # the kinds of invitation


def _merchant_taking_part(invitation: Invitation) -> Merchant:
    merchant = Merchant.objects.filter(pk=invitation.target, active=True).first()
    if merchant is None:
        raise Invalid("Dieses Geschäft nimmt nicht mehr an LOUISE teil.", code="bad_token")
    return merchant


def _staff_accept(invitation: Invitation, person: Newcomer) -> User:
    return user_create(username=person.username, password=person.password,
                       role=Role.MERCHANT, email=invitation.email,
                       first_name=person.first_name, last_name=person.last_name,
                       merchant=_merchant_taking_part(invitation))


def _owner_accept(invitation: Invitation, person: Newcomer) -> User:
    return shop_owner_grant(user=_staff_accept(invitation, person))


def _describe(role: str) -> Callable[[Invitation], str]:
    def describe(invitation: Invitation) -> str:
        merchant = Merchant.objects.filter(pk=invitation.target).first()
        return f"{role} von {merchant.name if merchant else 'einem Geschäft'}"
    return describe


invitation_kind(STAFF_INVITE, accept=_staff_accept, describe=_describe("Im Team"))
invitation_kind(OWNER_INVITE, accept=_owner_accept, describe=_describe("Inhaberin / Inhaber"))


def _invite(*, by: User, kind: str, merchant: Merchant, email: str, base_url: str,
            what: str) -> str:
    """Send the link (see `invitation_send`) and audit it; returns the link."""
    sent = invitation_send(kind=kind, email=email, by=by, target=merchant.pk,
                           base_url=base_url, subject=f"Einladung zu LOUISE: {merchant.name}",
                           what=what)
    audit_record(by=by, action="eingeladen", obj=merchant,
                 note=f"{'Inhaber/in' if kind == OWNER_INVITE else 'Team'}: {sent.email}")
    return sent.link


@transaction.atomic
def staff_invitation_create(*, by: User, email: str, base_url: str) -> str:
    """The shop's owner invites a colleague into the shop's team."""
    require_shop_owner(by)
    assert by.merchant is not None  # a constraint gives the merchant role a shop
    return _invite(by=by, kind=STAFF_INVITE, merchant=by.merchant, email=email, base_url=base_url,
                   what=f"im Händlerbereich von LOUISE für {by.merchant.name} mitzuarbeiten.")


@transaction.atomic
def owner_invitation_create(*, by: User, merchant_id: int, email: str, base_url: str) -> str:
    """The town's operator invites the owner of a shop of their town."""
    merchant = merchant_for_operator(user=by, merchant_id=merchant_id)
    return _invite(by=by, kind=OWNER_INVITE, merchant=merchant, email=email, base_url=base_url,
                   what=f"{merchant.name} als Inhaberin oder Inhaber bei LOUISE zu führen: "
                        "Bestellungen, Katalog, Team und Umsatz.")


def shop_owner_grant(*, user: User) -> User:
    """Give a shop's staff member the owner's right (an owner invitation, the demo)."""
    require_role(user, Role.MERCHANT)
    app_label, codename = OWNER_PERMISSION.split(".")
    user.user_permissions.add(Permission.objects.get(codename=codename,
                                                     content_type__app_label=app_label))
    return user


@transaction.atomic
def staff_access_set(*, by: User, user_id: int, active: bool) -> User:
    """The owner (or the town's operator) blocks or re-opens a colleague's login, e.g. when
    they leave the shop. Accounts are kept, not deleted: their name stays on the orders they
    handled. Blocking ends their API tokens too."""
    if has_role(by, Role.OPERATOR):
        shops = visible_to(Merchant, by)
    else:
        require_shop_owner(by)
        assert by.merchant_id is not None  # a constraint gives the merchant role a shop
        shops = Merchant.objects.filter(pk=by.merchant_id)
    person = User.objects.select_for_update().select_related("merchant").filter(
        pk=user_id, role=Role.MERCHANT, merchant__in=shops).first()
    if person is None:
        raise NotFound("Diese Person gehört nicht zum Team des Geschäfts.")
    if person.pk == by.pk:
        raise Invalid("Sie können sich nicht selbst sperren.")
    before = snapshot(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=person).delete()
    assert person.merchant is not None
    audit_record(by=by, action="freigegeben" if active else "gesperrt", obj=person,
                 before=before, town_id=person.merchant.town_id)
    return person
