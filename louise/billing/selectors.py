"""Reads for billing."""

from louise.accounts.models import User

from .models import SepaMandate


def mandate_active(*, customer: User) -> SepaMandate | None:
    return SepaMandate.objects.filter(customer=customer, active=True).order_by("-signed_at").first()
