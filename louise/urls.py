from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from louise.api.errors import unknown_path
from louise.api.root import api
from louise.web.media import media_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Uploads only through the view that checks who may see them (never a static mount).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media_file, name="media"),
    re_path(r"^api/(?P<path>.*)$", unknown_path),
    path("", include("louise.web.urls")),
]
