from django.contrib import admin

from .models import Order, OrderEvent, OrderLine


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ("name", "quantity", "unit_price_cents", "vat_rate")
    fields = readonly_fields


class EventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    readonly_fields = ("at", "kind", "from_status", "to_status", "by", "note")
    fields = readonly_fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only here: status changes go through the services, never through a form."""

    list_display = ("number", "merchant", "customer", "status", "delivery_method", "wave_start")
    list_filter = ("status", "delivery_method", "kind", "merchant")
    search_fields = ("number", "recipient_name")
    inlines = [LineInline, EventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
