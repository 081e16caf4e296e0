from django.contrib import admin

from .models import Merchant, MerchantPhoto, OpeningException, Product, ServiceOffer


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ("name", "price_cents", "vat_rate", "stock", "weight_g", "cooled", "bulky", "active")


class ServiceInline(admin.TabularInline):
    model = ServiceOffer
    extra = 0
    fields = ("name", "price_cents", "quote_after_inspection", "turnaround_days", "active")


class PhotoInline(admin.TabularInline):
    model = MerchantPhoto
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
