"""Staff invitations without a table: a signed, expiring link names the shop and the e-mail.

The shop owner (`louise.accounts.access.require_shop_owner`) sends the link; whoever opens
it picks a username and password and becomes staff of exactly that shop. The link works once: the
e-mail address it names can only belong to one account. The mail is a task
queued once the request's transaction commits.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core import signing
from django.db import transaction
from django.tasks import task

from louise.accounts.access import OWNER_PERMISSION, require_role, require_shop_owner
from louise.accounts.models import ApiToken, Role, User
from louise.accounts.services import user_create
from louise.catalog.models import Merchant
from louise.core.errors import Invalid, NotFound
from louise.core.logs import logged_failure
from louise.core.mail import mail_send

SALT = "louise.staff-invitation"
MAX_AGE_S = 7 * 24 * 3600


@dataclass(frozen=True)
class Invitation:
    merchant_id: int
    email: str
    invited_by: int


def invitation_create(*, by: User, email: str, base_url: str) -> str:
    """Make the link and mail it; the link is returned too, to send it by messenger."""
    require_shop_owner(by)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Invalid("Zu dieser E-Mail-Adresse gibt es schon ein Konto.", field="email")
    token = signing.dumps({"m": by.merchant_id, "e": email, "by": by.pk}, salt=SALT)
    link = f"{base_url.rstrip('/')}/laden/einladung/{token}/"
    inviter_id = by.pk
    transaction.on_commit(lambda: invitation_mail_send.enqueue(inviter_id, email, link))
    return link


@task
@logged_failure
def invitation_mail_send(inviter_id: int, email: str, link: str) -> str:
    """Mail the link, with the shop's and the inviter's names as they are now."""
    by = User.objects.select_related("merchant").get(pk=inviter_id)
    assert by.merchant is not None  # a constraint gives the merchant role a shop
    subject = f"Einladung ins LOUISE-Team von {by.merchant.name}"
    mail_send(subject=subject, to=[email],
              body=f"{by.display_name} lädt Sie ein, im Händlerbereich von LOUISE für "
                   f"{by.merchant.name} mitzuarbeiten.\n\nKonto anlegen (7 Tage gültig):\n"
                   f"{link}\n")
    return subject


def invitation_read(*, token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
    except signing.SignatureExpired as exc:
        raise Invalid("Diese Einladung ist abgelaufen. Bitte lassen Sie sich neu einladen.",
                      code="expired") from exc
    except signing.BadSignature as exc:
        raise Invalid("Dieser Einladungslink ist ungültig.", code="bad_token") from exc
    return Invitation(merchant_id=data["m"], email=data["e"], invited_by=data["by"])


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, first_name: str,
                      last_name: str = "") -> User:
    invitation = invitation_read(token=token)
    merchant = Merchant.objects.filter(pk=invitation.merchant_id, active=True).first()
    if merchant is None:
        raise Invalid("Dieses Geschäft nimmt nicht mehr an LOUISE teil.", code="bad_token")
    return user_create(username=username.strip(), password=password, role=Role.MERCHANT,
                       email=invitation.email, first_name=first_name.strip(),
                       last_name=last_name.strip(), merchant=merchant)


def shop_owner_grant(*, user: User) -> User:
    """Make a shop's staff member its owner (done by the operator when onboarding a shop)."""
    require_role(user, Role.MERCHANT)
    app_label, codename = OWNER_PERMISSION.split(".")
    user.user_permissions.add(Permission.objects.get(codename=codename,
                                                     content_type__app_label=app_label))
    return user


@transaction.atomic
def staff_access_set(*, by: User, user_id: int, active: bool) -> User:
    """The owner blocks (or re-opens) a colleague's login, e.g. when they leave the shop.
    Accounts are kept, not deleted: their name stays on the orders they handled."""
    require_shop_owner(by)
    assert by.merchant_id is not None  # a constraint gives the merchant role a shop
    person = User.objects.select_for_update().filter(
        pk=user_id, role=Role.MERCHANT, merchant_id=by.merchant_id).first()
    if person is None:
        raise NotFound("Diese Person gehört nicht zu Ihrem Team.")
    if person.pk == by.pk:
        raise Invalid("Sie können sich nicht selbst sperren.")
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=person).delete()
    return person
