"""Uploads are pictures and nothing else: decoded, capped, re-encoded, without metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from louise.core.errors import Invalid
from louise.core.images import RandomName, image_upload

from .pictures import GPS_IFD, jpeg

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><script>fetch('/konto/daten.json')</script>"


def upload(content: bytes, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def stored(picture) -> Image.Image:
    image = Image.open(io.BytesIO(picture.read()))
    image.load()
    return image


def test_a_phone_photo_is_scaled_and_loses_its_metadata():
    picture = image_upload(upload(jpeg(3000, 1500)))
    image = stored(picture)
    assert image.format == "JPEG"
    assert image.size == (2000, 1000)
    assert not image.getexif()
    assert GPS_IFD not in image.getexif()
    assert "exif" not in image.info


def test_the_photo_is_turned_upright_before_its_orientation_tag_goes():
    # a portrait taken with the phone on its side: 64×48 pixels, "rotate 90°" in EXIF
    image = stored(image_upload(upload(jpeg(64, 48, orientation=6))))
    assert image.size == (48, 64)


@pytest.mark.parametrize(("content", "name"), [
    (HTML, "zustellfoto.jpg"), (SVG, "bild.svg"), (b"", "leer.jpg"),
    (jpeg()[:200], "abgeschnitten.jpg"), (b"%PDF-1.4\n", "beleg.pdf")])
def test_what_is_no_picture_is_refused(content, name):
    with pytest.raises(Invalid, match="kein Bild") as refused:
        image_upload(upload(content, name), field="image")
    assert refused.value.field == "image"
    assert refused.value.code == "not_an_image"


def test_a_file_over_the_limit_is_refused_before_decoding(settings):
    settings.LOUISE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = jpeg() + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(Invalid, match=r"zu groß \(höchstens 10 MB\)"):
        image_upload(upload(big))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (12_000, 9_000)).save(buffer, "PNG")  # 108 megapixels in a few KB
    with pytest.raises(Invalid, match="Bildpunkte"):
        image_upload(upload(buffer.getvalue(), "bombe.png"))


def test_a_transparent_png_becomes_a_jpeg_on_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    image = stored(image_upload(upload(buffer.getvalue(), "logo.png")))
    assert image.mode == "RGB" and image.getpixel((5, 5)) == (255, 255, 255)


def test_stored_names_are_random_and_say_nothing():
    name = RandomName("proofs")
    first, second = name(None, "stop-41.jpg"), name(None, "stop-41.jpg")
    assert first != second
    assert first.startswith("proofs/") and first.endswith(".jpg")
    assert "stop" not in first and len(first) == len("proofs/") + 32 + len(".jpg")
