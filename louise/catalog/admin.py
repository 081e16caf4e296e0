from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from louise.core.errors import Invalid
from louise.core.images import image_upload

from .models import Merchant, MerchantPhoto, OpeningException, Product, ServiceOffer


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ("name", "price_cents", "vat_rate", "stock", "weight_g", "cooled", "bulky", "active")


class ServiceInline(admin.TabularInline):
    model = ServiceOffer
    extra = 0
    fields = ("name", "price_cents", "quote_after_inspection", "turnaround_days", "active")


class PhotoForm(forms.ModelForm):
    """The operator's uploads pass the same check and re-encoding as the shops' own."""

    def clean_image(self):
        image = self.cleaned_data["image"]
        if not isinstance(image, UploadedFile):
            return image
        try:
            return image_upload(image, field="image")
        except Invalid as exc:
            raise ValidationError(exc.message) from exc


class PhotoInline(admin.TabularInline):
    model = MerchantPhoto
    form = PhotoForm
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "district", "active")
    list_filter = ("category", "district", "active")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ProductInline, ServiceInline, OpeningExceptionInline, PhotoInline]
