from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from louise.api.errors import unknown_path
from louise.api.root import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", unknown_path),
    path("", include("louise.web.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
