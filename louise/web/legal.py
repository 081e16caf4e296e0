"""Reads and writes of the legal texts; the German templates in `web/legal/` are the
starting point an operator adapts (they name the operator from the settings)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.core.errors import Invalid
from louise.core.german import number

from .models import LegalKind, LegalText

MAX_LENGTH = 50_000


@dataclass(frozen=True)
class LegalPage:
    kind: LegalKind
    body: str
    updated_at: datetime | None  # None: the template, not yet adapted by the operator

    @property
    def title(self) -> str:
        return str(self.kind.label)


def _template(kind: LegalKind) -> str:
    return render_to_string(f"web/legal/{kind.value}.txt", {
        "operator": settings.LOUISE_OPERATOR_NAME, "address": settings.LOUISE_OPERATOR_ADDRESS,
        "email": settings.LOUISE_OPERATOR_EMAIL, "phone": settings.LOUISE_OPERATOR_PHONE,
        "creditor_id": settings.LOUISE_SEPA_CREDITOR_ID}).strip()


def legal_page(*, kind: str) -> LegalPage:
    legal = LegalKind(kind)
    text = LegalText.objects.filter(kind=legal).first()
    if text is None:
        return LegalPage(legal, _template(legal), None)
    return LegalPage(legal, text.body, text.updated_at)


def legal_text_save(*, kind: str, body: str, by: User) -> LegalText:
    require_role(by, Role.OPERATOR)
    if not body.strip():
        raise Invalid("Der Text darf nicht leer sein.", field="body")
    if len(body) > MAX_LENGTH:
        raise Invalid(f"Der Text ist zu lang (höchstens {number(MAX_LENGTH)} Zeichen).",
                      field="body")
    text, _ = LegalText.objects.update_or_create(
        kind=LegalKind(kind), defaults={"body": body.strip(), "updated_at": timezone.now(),
                                        "updated_by": by})
    return text
