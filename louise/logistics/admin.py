from django.contrib import admin

from .models import (
    InsertionFailure,
    Leg,
    PlanRun,
    PublishOverride,
    Shift,
    Tour,
    TourStop,
    Vehicle,
)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "capacity_parcels", "range_km", "cooled", "bulky", "active")


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("rider", "vehicle", "starts_at", "ends_at")


@admin.register(Leg)
class LegAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "order", "pickup_label", "drop_label", "drop_from")
    list_filter = ("status", "kind", "zone")


class StopInline(admin.TabularInline):
    model = TourStop
    extra = 0
    fields = ("sequence", "kind", "leg", "planned_arrival", "status")
    readonly_fields = fields


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ("id", "shift", "status", "starts_at", "distance_m")
    list_filter = ("status",)
    inlines = [StopInline]


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ("id", "day", "status", "progress", "created_at")


@admin.register(PublishOverride)
class PublishOverrideAdmin(admin.ModelAdmin):
    """The audit of tours published against the planning checker's verdict."""

    list_display = ("tour", "by", "at", "reason")
    readonly_fields = ("tour", "by", "at", "reason", "violations")


@admin.register(InsertionFailure)
class InsertionFailureAdmin(admin.ModelAdmin):
    list_display = ("day", "created_at", "message")
