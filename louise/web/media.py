"""Uploaded files, served only to the people who may see them.

Every file under MEDIA_URL goes through `media_file`: it finds which record the file
belongs to and asks that app's rule (shop and product photos public, an item photo for its
customer and shop, a delivery photo for its customer, rider and dispatch). Anything else,
including a file nobody may see, is a 404, so a guess learns nothing. Behind nginx (or
Apache, lighttpd) the web server sends the bytes: `LOUISE_MEDIA_ACCEL_REDIRECT` names
nginx's internal location (`X-Accel-Redirect`), `LOUISE_MEDIA_SENDFILE=1` answers with
`X-Sendfile`; without either Django streams the file itself.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from louise.catalog.selectors import catalog_image_visible
from louise.logistics.selectors import proof_photo_visible
from louise.orders.selectors import item_photo_visible
from louise.orders.shopping import receipt_photo_visible

PRIVATE_RULES = (item_photo_visible, proof_photo_visible, receipt_photo_visible)


def _checked_name(name: str) -> str:
    """A storage name as stored in the database: relative, no `..`, no backslashes."""
    path = PurePosixPath(name)
    if not name or "\\" in name or path.is_absolute() or ".." in path.parts:
        raise Http404
    return str(path)


@require_safe
def media_file(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    name = _checked_name(name)
    if catalog_image_visible(name=name, user=request.user):
        cache = "public, max-age=86400"
    elif any(rule(name=name, user=request.user) for rule in PRIVATE_RULES):
        cache = "private, max-age=3600"
    else:
        raise Http404("Diese Datei gibt es nicht.")
    if not default_storage.exists(name):
        raise Http404("Diese Datei gibt es nicht.")
    response = _file_response(name)
    response["Cache-Control"] = cache
    # Uploads are re-encoded JPEGs; anything older that is no image is only downloaded.
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        content_type = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["Content-Type"] = content_type
    return response


def _file_response(name: str) -> HttpResponse | FileResponse:
    if prefix := settings.LOUISE_MEDIA_ACCEL_REDIRECT:
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        return response
    if settings.LOUISE_MEDIA_SENDFILE:
        response = HttpResponse()
        response["X-Sendfile"] = default_storage.path(name)
        return response
    return FileResponse(default_storage.open(name))
