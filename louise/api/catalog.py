"""Public API of the town's shops and offers."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from louise.api.errors import ERRORS
from louise.catalog.models import Category
from louise.catalog.selectors import merchant_get, merchant_list

router = Router(tags=["Katalog"])


class MerchantOut(Schema):
    id: int
    slug: str
    name: str
    category: str
    district: str
    street: str
    postcode: str
    lat: float
    lon: float


class ProductOut(Schema):
    id: int
    name: str
    price_cents: int
    vat_rate: int
    stock: int
    weight_g: int
    cooled: bool
    bulky: bool
    photo: str | None = None

    @staticmethod
    def resolve_photo(product) -> str | None:
        return product.photo.url if product.photo else None


class PhotoOut(Schema):
    url: str = Field(alias="image.url")
    caption: str


class ServiceOut(Schema):
    id: int
    name: str
    price_cents: int | None
    quote_after_inspection: bool
    turnaround_days: int


class MerchantDetailOut(MerchantOut):
    description: str
    opening_hours: dict
    pack_minutes: int
    photos: list[PhotoOut] = Field(alias="photos.all")
    products: list[ProductOut] = Field(alias="products.all")
    services: list[ServiceOut] = Field(alias="services.all")


@router.get("/merchants", response={200: list[MerchantOut], **ERRORS}, auth=None)
def merchants(request: HttpRequest, category: Category | None = None):
    return merchant_list(category=category)


@router.get("/merchants/{slug}", response={200: MerchantDetailOut, **ERRORS}, auth=None)
def merchant(request: HttpRequest, slug: str):
    return merchant_get(slug=slug)
