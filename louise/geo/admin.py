from django.contrib import admin

from .models import Address, Hub, Locker, LockerCompartment, PickupPoint, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "postcodes", "vehicle_kinds", "active")
    list_filter = ("active",)


class CompartmentInline(admin.TabularInline):
    model = LockerCompartment
    extra = 0


@admin.register(Locker)
class LockerAdmin(admin.ModelAdmin):
    list_display = ("name", "street", "postcode", "active")
    inlines = [CompartmentInline]


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ("name", "street", "postcode", "district", "active")


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ("name", "street", "postcode")


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("street", "postcode", "district", "zone", "precision", "owner")
    list_filter = ("zone", "district", "precision")
    search_fields = ("street", "owner__username", "recipient")
