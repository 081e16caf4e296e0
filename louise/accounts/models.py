"""People and their single role; the role decides which screens and objects they reach."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Kundin / Kunde")
    MERCHANT = "merchant", _("Händler-Team")
    DISPATCHER = "dispatcher", _("Disposition")
    RIDER = "rider", _("Fahrerin / Fahrer")
    HOTLINE = "hotline", _("Hotline")
    OPERATOR = "operator", _("Betrieb (Stadt)")
    HUB = "hub", _("City-Depot")


class User(AbstractUser):
    role = models.CharField(_("Rolle"), max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    # Staff of every town of the region (the region's operator); other staff work for the
    # towns they are members of (`Town.staff`).
    all_towns = models.BooleanField(_("alle Städte der Region"), default=False)
    merchant = models.ForeignKey(
        "catalog.Merchant",
        verbose_name=_("Geschäft"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")
        constraints = [
            models.CheckConstraint(
                name="merchant_staff_has_merchant",
                condition=(models.Q(role="merchant", merchant__isnull=False)
                           | (~models.Q(role="merchant") & models.Q(merchant__isnull=True))),
            )
        ]

    def save(self, *args, **kwargs) -> None:
        """A new password ends every API token of the old one (like the sessions): whoever
        had the old password may have made tokens with it."""
        # `set_password` keeps the new raw password in `_password` until the save.
        password_changed = getattr(self, "_password", None) is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            self.api_tokens.all().delete()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class ApiToken(models.Model):
    """A bearer token for API clients (rider phones, shop systems); only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self) -> str:
        return f"{self.user} bis {self.expires_at:%d.%m.%Y}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class NotificationPreferences(models.Model):
    """Which e-mails a customer wants; without a row, they get all of them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notify")
    confirmed = models.BooleanField(_("Bestellung bestätigt oder abgelehnt"), default=True)
    on_its_way = models.BooleanField(_("unterwegs, mit Zeitfenster"), default=True)
    delivered = models.BooleanField(_("zugestellt"), default=True)
    failed = models.BooleanField(_("Zustellung fehlgeschlagen"), default=True)
    locker_code = models.BooleanField(_("Code der Paketstation"), default=True)

    class Meta:
        verbose_name = _("Benachrichtigungen")
        verbose_name_plural = _("Benachrichtigungen")

    def __str__(self) -> str:
        return f"Benachrichtigungen von {self.user}"


class AuditEntry(models.Model):
    """One change made in the operator's or dispatcher's console: who, when, what, and the
    fields before and after. Append-only; the console shows a town's entries."""

    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("durch"))
    town = models.ForeignKey("geo.Town", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("Stadt"))
    action = models.CharField(_("Aktion"), max_length=40)
    model = models.CharField(_("Art"), max_length=40)
    object_id = models.CharField(max_length=40)
    label = models.CharField(_("Objekt"), max_length=200)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.by}: {self.action} {self.model} {self.label}"
