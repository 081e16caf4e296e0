"""Reads for the catalogue: what the public sees, and what a shop's own staff may edit."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from louise.accounts.access import (
    ALL,
    OWNER_PERMISSION,
    STAFF,
    Condition,
    require_role,
    scope_rule,
    visible_to,
)
from louise.accounts.models import Role, User
from louise.core.errors import NotFound
from louise.core.german import GermanOrder
from louise.core.hours import DayHours, hours_on
from louise.geo.models import Town

from .cache import catalog_cached, stock_refresh
from .models import Merchant, OpeningException, Product, ServiceOffer

# What a shop's staff may edit (the public catalogue is open to all and not scoped).
_OWN_SHOP: dict[str, Condition] = {Role.MERCHANT: lambda user: Q(merchant_id=user.merchant_id)}
scope_rule(Product, _OWN_SHOP, town="merchant__town")
scope_rule(ServiceOffer, _OWN_SHOP, town="merchant__town")
# The shops a town's team manages (onboarding, pausing); a merchant sees its own.
scope_rule(Merchant, {Role.MERCHANT: lambda user: Q(pk=user.merchant_id),
                      **dict.fromkeys(STAFF, ALL)}, town="town")


def merchant_list(*, category: str | None = None, district: str | None = None,
                  town: Town | None = None) -> QuerySet[Merchant]:
    """Active shops (of one town, if given) in German dictionary order ("Bäckerei" before
    "Buchhandlung")."""
    qs = Merchant.objects.filter(active=True).order_by(GermanOrder("name"))
    if town is not None:
        qs = qs.filter(town=town)
    if category:
        qs = qs.filter(category=category)
    return qs.filter(district=district) if district else qs


def merchant_get(*, slug: str) -> Merchant:
    merchant = (
        Merchant.objects.filter(active=True, slug=slug)
        .select_related("town")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.filter(active=True)
                     .order_by(GermanOrder("name"))),
            Prefetch("services", queryset=ServiceOffer.objects.filter(active=True)
                     .order_by(GermanOrder("name"))),
        )
        .first()
    )
    if merchant is None:
        raise NotFound(f"Geschäft „{slug}“ gibt es nicht.")
    return merchant


@dataclass(frozen=True)
class ShopList:
    """The public list of shops: the shops chosen, and what the filters offer (as of the
    catalogue's `version`)."""

    version: str
    merchants: list[Merchant]
    districts: list[str]
    towns: list[Town]


def shop_list(*, category: str | None = None, district: str | None = None,
              town: Town | None = None) -> ShopList:
    """Active shops as `merchant_list` chooses them, the districts of the town's shops and
    the active towns (cached per catalogue version: every visitor asks the same)."""

    def build(version: str) -> ShopList:
        return ShopList(
            version, list(merchant_list(category=category, district=district, town=town)),
            list(merchant_list(town=town).exclude(district="").order_by("district")
                 .values_list("district", flat=True).distinct()),
            list(Town.objects.filter(active=True).order_by("name")))

    return catalog_cached(f"shops:{category}:{district}:{town.pk if town else ''}", build)


@dataclass(frozen=True)
class ShopPage:
    """What a shop's public page shows: the shop (with its town), its active products and
    services in German order, and its hours on the day asked for (as of the catalogue's
    `version`)."""

    version: str
    merchant: Merchant
    products: list[Product]
    services: list[ServiceOffer]
    today: DayHours


def shop_page(*, slug: str, day: date) -> ShopPage:
    """A shop's page, cached per catalogue version and day; the stock is read fresh."""

    def build(version: str) -> ShopPage:
        merchant = merchant_get(slug=slug)
        today = merchant_hours_on(merchant=merchant, day=day)
        return ShopPage(version, merchant, list(merchant.products.all()),
                        list(merchant.services.all()), today)

    page = catalog_cached(f"shop:{slug}:{day.isoformat()}", build)
    stock_refresh(page.products)
    return page


def merchant_for_operator(*, user: User, merchant_id: int) -> Merchant:
    """A shop of the operator's towns; any other shop is unknown to them."""
    require_role(user, Role.OPERATOR)
    merchant = visible_to(Merchant, user).filter(pk=merchant_id).first()
    if merchant is None:
        raise NotFound("Dieses Geschäft gibt es nicht.")
    return merchant


@dataclass(frozen=True)
class ShopRow:
    """A shop as the operator's list shows it."""

    merchant: Merchant
    staff_count: int
    owners: list[str]


def _owners(merchants: list[int]) -> QuerySet[User]:
    """The staff holding the owner's right (`shop_owner_grant`) in these shops."""
    app_label, codename = OWNER_PERMISSION.split(".")
    return User.objects.filter(merchant__in=merchants, user_permissions__codename=codename,
                               user_permissions__content_type__app_label=app_label)


def merchants_of_town(*, user: User, town_id: int) -> list[ShopRow]:
    """The town's shops, paused ones too, with their team's size and owners."""
    require_role(user, Role.OPERATOR)
    merchants = list(visible_to(Merchant, user).filter(town_id=town_id)
                     .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
                     .order_by(GermanOrder("name")))
    owners: dict[int, list[str]] = {}
    for owner in _owners([m.pk for m in merchants]).order_by("last_name", "first_name"):
        assert owner.merchant_id is not None
        owners.setdefault(owner.merchant_id, []).append(owner.display_name)
    return [ShopRow(m, m.staff_count, owners.get(m.pk, [])) for m in merchants]


@dataclass(frozen=True)
class TeamMember:
    person: User
    is_owner: bool


def merchant_team(*, merchant: Merchant) -> list[TeamMember]:
    """A shop's staff for the operator: who, owner or not, blocked or not, last sign-in."""
    owner_ids = set(_owners([merchant.pk]).values_list("pk", flat=True))
    return [TeamMember(person, person.pk in owner_ids)
            for person in merchant.staff.order_by("last_name", "first_name", "username")]


def products_of_staff(*, user: User) -> QuerySet[Product]:
    return visible_to(Product, user).order_by("name")


def services_of_staff(*, user: User) -> QuerySet[ServiceOffer]:
    return visible_to(ServiceOffer, user).order_by("name")


def product_for_staff(*, user: User, product_id: int) -> Product:
    product = products_of_staff(user=user).filter(pk=product_id).first()
    if product is None:
        raise NotFound("Dieses Produkt gibt es in Ihrem Geschäft nicht.")
    return product


def service_for_staff(*, user: User, service_id: int) -> ServiceOffer:
    service = services_of_staff(user=user).filter(pk=service_id).first()
    if service is None:
        raise NotFound("Diese Dienstleistung gibt es in Ihrem Geschäft nicht.")
    return service


def merchant_hours_on(*, merchant: Merchant, day: date) -> DayHours:
    """A shop's hours on one date: its own exception first, then public holidays (if it
    closes on them), then the weekly hours."""
    exception = OpeningException.objects.filter(merchant=merchant, day=day).first()
    if exception is not None:
        return DayHours(day, [] if exception.closed else exception.hours,
                        exception.note or "Sonderöffnungszeit")
    return hours_on(merchant.opening_hours, day, closed_on_holidays=merchant.closed_on_holidays,
                    schedule=merchant.town.schedule if merchant.closed_on_holidays else None)


def service_offer_get(*, service_id: int) -> ServiceOffer:
    """A bookable service, for the customer's booking page."""
    offer = ServiceOffer.objects.select_related("merchant").filter(
        pk=service_id, active=True, merchant__active=True).first()
    if offer is None:
        raise NotFound("Diese Dienstleistung gibt es nicht.")
    return offer


def catalog_image_visible(*, name: str, user) -> bool:
    """Shop and product photos are public while the shop takes part; before and after that
    only its own staff and the operator see them (the back office shows them)."""
    if not name:
        return False
    owners = {*Merchant.objects.filter(photos__image=name).values_list("pk", "active"),
              *Merchant.objects.filter(products__photo=name).values_list("pk", "active")}
    if not owners:
        return False
    if any(active for _pk, active in owners):
        return True
    return user.is_authenticated and (user.has_role(Role.OPERATOR) or (
        user.has_role(Role.MERCHANT) and user.merchant_id in {pk for pk, _a in owners}))
