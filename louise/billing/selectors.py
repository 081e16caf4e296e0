"""Reads for billing."""

from .models import SepaMandate


def mandate_active(*, customer) -> SepaMandate | None:
    return SepaMandate.objects.filter(customer=customer, active=True).order_by("-signed_at").first()
