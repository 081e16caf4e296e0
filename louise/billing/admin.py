from django.contrib import admin

from .models import SepaMandate


@admin.register(SepaMandate)
class SepaMandateAdmin(admin.ModelAdmin):
    list_display = ("reference", "customer", "holder", "masked_iban", "active")
