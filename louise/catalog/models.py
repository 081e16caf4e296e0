"""Shops and what they offer: products with stock, and services done on the customer's item."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from louise.core.hours import validate_opening_hours
from louise.geo.models import Place


class Category(models.TextChoices):
    BOOKS = "books", _("Bücher")
    GROCERY = "grocery", _("Lebensmittel")
    ORGANIC = "organic", _("Bio")
    WINE = "wine", _("Wein und Getränke")
    LAUNDRY = "laundry", _("Wäscherei")
    SHOES = "shoes", _("Schuhe und Reparatur")
    TAILOR = "tailor", _("Schneiderei")
    BIKES = "bikes", _("Fahrräder")
    ZERO_WASTE = "zero_waste", _("Unverpackt")
    BAKERY = "bakery", _("Bäckerei und Mühle")
    LUNCH = "lunch", _("Mittagstisch")
    FLOWERS = "flowers", _("Blumen")
    PHARMACY = "pharmacy", _("Drogerie")
    GIFTS = "gifts", _("Geschenke")


class Merchant(Place):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    category = models.CharField(_("Kategorie"), max_length=20, choices=Category.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    opening_hours = models.JSONField(_("Öffnungszeiten"), default=dict,
                                     validators=[validate_opening_hours])
    pack_minutes = models.PositiveSmallIntegerField(_("Packzeit (Minuten)"), default=30)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Geschäft")
        verbose_name_plural = _("Geschäfte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VatRate(models.IntegerChoices):
    REDUCED = 7, "7 %"
    STANDARD = 19, "19 %"


class Product(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    price_cents = models.PositiveIntegerField(_("Preis (Cent)"))
    vat_rate = models.PositiveSmallIntegerField(_("MwSt."), choices=VatRate.choices,
                                                default=VatRate.STANDARD)
    stock = models.PositiveIntegerField(_("Bestand"), default=0)
    weight_g = models.PositiveIntegerField(_("Gewicht (g)"), default=500)
    volume_ml = models.PositiveIntegerField(_("Volumen (ml)"), default=1000)
    cooled = models.BooleanField(_("gekühlt"), default=False)
    bulky = models.BooleanField(_("sperrig"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Produkt")
        verbose_name_plural = _("Produkte")
        ordering = ["merchant", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "name"], name="product_name_per_merchant"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceOffer(models.Model):
    """A service on the customer's own item (shoe repair, ironing): a round trip."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    price_cents = models.PositiveIntegerField(_("Preis (Cent)"), null=True, blank=True)
    quote_after_inspection = models.BooleanField(_("Preis nach Begutachtung"), default=False)
    vat_rate = models.PositiveSmallIntegerField(_("MwSt."), choices=VatRate.choices,
                                                default=VatRate.STANDARD)
    turnaround_days = models.PositiveSmallIntegerField(
        _("Bearbeitungszeit (Werktage)"), default=2,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    weight_g = models.PositiveIntegerField(_("Gewicht (g)"), default=1500)
    volume_ml = models.PositiveIntegerField(_("Volumen (ml)"), default=6000)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Dienstleistung")
        verbose_name_plural = _("Dienstleistungen")
        ordering = ["merchant", "name"]
        constraints = [
            models.CheckConstraint(
                name="service_has_price_or_quote",
                condition=models.Q(price_cents__isnull=False)
                | models.Q(quote_after_inspection=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name
