"""Shops and what they offer: products with stock, and services done on the customer's item."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from louise.core.hours import validate_opening_hours
from louise.core.images import RandomName
from louise.geo.models import Place, town_field


def validate_spans(spans: list) -> None:
    """One day's spans, [["09:00", "13:00"], ["14:00", "18:00"]], checked like a weekday's."""
    validate_opening_hours({"0": spans})


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
    town = town_field(related_name="merchants")
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    category = models.CharField(_("Kategorie"), max_length=20, choices=Category.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    opening_hours = models.JSONField(_("Öffnungszeiten"), default=dict,
                                     validators=[validate_opening_hours])
    pack_minutes = models.PositiveSmallIntegerField(
        _("Packzeit (Minuten)"), default=30, validators=[MaxValueValidator(24 * 60)])
    closed_on_holidays = models.BooleanField(_("an Feiertagen geschlossen"), default=True)
    active = models.BooleanField(_("aktiv"), default=True)
    # The operator's flag: LOUISE's shoppers buy a customer's free-text list in this store.
    shopping_service = models.BooleanField(_("Einkaufsservice"), default=False)

    class Meta:
        verbose_name = _("Geschäft")
        verbose_name_plural = _("Geschäfte")
        ordering = ["name"]
        # The owner's right: invite staff and see the shop's turnover. Granted per person, so
        # no role beyond "merchant" is needed.
        permissions = [("manage_shop", _("Team einladen und Umsätze sehen"))]

    def __str__(self) -> str:
        return self.name

    # Django leaves a get_FOO_display the class defines itself; the stubs do not know that.
    def get_category_display(self) -> str:  # type: ignore[no-redef]
        """The category's German name. Django's own builds a dict of every category,
        translating each, on every call (0.3 ms; the shop list calls it 30 times); the enum
        looks up the one label."""
        try:
            return str(Category(self.category).label)
        except ValueError:
            return self.category


class MerchantPhoto(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("Foto"), upload_to=RandomName("shops"))
    caption = models.CharField(_("Bildunterschrift"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["merchant", "position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class OpeningException(models.Model):
    """A day that differs from the weekly hours: holidays of the shop, a late opening."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE,
                                 related_name="opening_exceptions")
    day = models.DateField(_("Tag"))
    closed = models.BooleanField(_("geschlossen"), default=True)
    hours = models.JSONField(_("Öffnungszeiten an diesem Tag"), default=list, blank=True,
                             validators=[validate_spans])
    note = models.CharField(_("Anlass"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("Sonderöffnungszeit")
        verbose_name_plural = _("Sonderöffnungszeiten")
        ordering = ["merchant", "day"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "day"], name="one_exception_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant} {self.day:%d.%m.%Y}"

    def clean(self) -> None:
        if self.closed and self.hours:
            raise ValidationError({"hours": _("Ein geschlossener Tag hat keine Öffnungszeiten.")})
        if not self.closed and not self.hours:
            raise ValidationError({"hours": _("Bitte die Öffnungszeiten an diesem Tag angeben.")})


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
    photo = models.ImageField(_("Foto"), upload_to=RandomName("products"), blank=True)
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


class CatalogVersion(models.Model):
    """One row whose token changes with every write to the public catalogue (shops,
    products, services, hours, photos, towns; `catalog.cache`). Cached catalogue reads are
    keyed by it, so a change shows on the very next request in every web process: a cache
    in local memory belongs to one process, but this row is shared by all of them. A random
    token rather than a counter, so a database restored or re-seeded under a cache that
    lives on (Redis) never meets its own old numbers."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
