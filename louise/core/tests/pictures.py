"""Test pictures as a phone makes them: a real JPEG with the camera's EXIF data, GPS
position included."""

import io

from PIL import Image

GPS_IFD = 0x8825
# Bottrop, Altmarkt: what a careless upload would tell about the sender.
BOTTROP = {1: "N", 2: (51.0, 31.0, 25.0), 3: "E", 4: (6.0, 55.0, 43.0)}


def jpeg(width: int = 64, height: int = 48, *, gps: bool = True, orientation: int = 1,
         color: str = "teal") -> bytes:
    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    if gps:
        exif[GPS_IFD] = BOTTROP
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
