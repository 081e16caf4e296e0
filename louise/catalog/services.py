"""Writes for the catalogue and the shop's own profile."""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from louise.core.errors import NotFound
from louise.core.german import slug
from louise.core.images import image_upload
from louise.core.validation import save_validated

from .models import Merchant, MerchantPhoto, OpeningException, Product, ServiceOffer


@transaction.atomic
def merchant_create(*, name: str, category: str, street: str, postcode: str, lat: float,
                    lon: float, district: str = "", opening_hours: dict | None = None,
                    **fields) -> Merchant:
    merchant = Merchant(name=name, slug=slug(name), category=category, street=street,
                        postcode=postcode, lat=lat, lon=lon, district=district,
                        opening_hours=opening_hours or {}, **fields)
    return save_validated(merchant)


def _photo_cleaned(fields: dict) -> dict:
    """A newly uploaded product photo re-encoded (see core.images); a kept or cleared one
    (the form's stored file or False) as it is."""
    if isinstance(fields.get("photo"), UploadedFile):
        return {**fields, "photo": image_upload(fields["photo"])}
    return fields


@transaction.atomic
def product_create(*, merchant: Merchant, name: str, price_cents: int, **fields) -> Product:
    return save_validated(Product(merchant=merchant, name=name, price_cents=price_cents,
                                  **_photo_cleaned(fields)))


@transaction.atomic
def service_offer_create(*, merchant: Merchant, name: str, **fields) -> ServiceOffer:
    return save_validated(ServiceOffer(merchant=merchant, name=name, **fields))


def _apply[M: Merchant | Product | ServiceOffer](instance: M, fields: dict) -> M:
    for name, value in fields.items():
        setattr(instance, name, value)
    return save_validated(instance)


@transaction.atomic
def catalog_entry_update(*, entry: Product | ServiceOffer, **fields) -> Product | ServiceOffer:
    """Edit a product or a service; the model's checks (price or quote, VAT) apply."""
    return _apply(entry, _photo_cleaned(fields))


@transaction.atomic
def merchant_update(*, merchant: Merchant, **fields) -> Merchant:
    """The shop's own profile: description, contact, category, weekly hours, pack time."""
    return _apply(merchant, fields)


@transaction.atomic
def opening_exception_set(*, merchant: Merchant, day: date, closed: bool,
                          hours: list | None = None, note: str = "") -> OpeningException:
    """Set (or replace) the hours of one special day, e.g. closed for the shop's holidays."""
    exception = OpeningException.objects.filter(merchant=merchant, day=day).first() \
        or OpeningException(merchant=merchant, day=day)
    exception.closed, exception.hours, exception.note = closed, hours or [], note.strip()
    return save_validated(exception)


@transaction.atomic
def opening_exception_delete(*, merchant: Merchant, exception_id: int) -> None:
    deleted, _ = OpeningException.objects.filter(merchant=merchant, pk=exception_id).delete()
    if not deleted:
        raise NotFound("Diese Sonderöffnungszeit gibt es nicht.")


@transaction.atomic
def merchant_photo_add(*, merchant: Merchant, image, caption: str = "") -> MerchantPhoto:
    position = merchant.photos.count()
    return save_validated(MerchantPhoto(merchant=merchant, image=image_upload(image, field="image"),
                                        caption=caption.strip(), position=position))


@transaction.atomic
def merchant_photo_delete(*, merchant: Merchant, photo_id: int) -> None:
    photo = MerchantPhoto.objects.filter(merchant=merchant, pk=photo_id).first()
    if photo is None:
        raise NotFound("Dieses Foto gibt es nicht.")
    photo.image.delete(save=False)
    photo.delete()
