"""Django's admin for superusers only: the town's operator works in /betrieb/, and a person
with `is_staff` but without superuser rights gets no side door into the data.

`SuperuserAdminConfig` stands in INSTALLED_APPS for "django.contrib.admin" and makes
`admin.site` a `SuperuserAdminSite` (the way Django documents overriding the default site),
so every app's `@admin.register` lands on it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "louise.web.admin_site.SuperuserAdminSite"
