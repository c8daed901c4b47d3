"""Outlets' images made safe: resized WebP without metadata; bombs, junk and damage refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from actuel.images.thumbnail import MAX_WIDTH, ImageRefused, make_thumbnail


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def test_a_large_photo_becomes_a_small_webp_without_its_location() -> None:
    photo = Image.new("RGB", (4000, 3000), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (4.0, 3.0, 0.0)}  # GPSInfo: where the photographer stood
    raw = encoded(photo, "JPEG", exif=exif.tobytes())
    thumb = make_thumbnail(raw)
    assert (thumb.width, thumb.height) == (MAX_WIDTH, 600)
    assert thumb.content_type == "image/webp" and len(thumb.data) < len(raw)
    with Image.open(io.BytesIO(thumb.data)) as kept:
        assert kept.format == "WEBP"
        assert not kept.getexif() and "icc_profile" not in kept.info


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    sideways = Image.new("RGB", (300, 100), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    thumb = make_thumbnail(encoded(sideways, "JPEG", exif=exif.tobytes()))
    assert (thumb.width, thumb.height) == (100, 300)


def test_transparency_and_odd_modes_survive() -> None:
    logo = Image.new("RGBA", (200, 200), (255, 0, 0, 0))
    with Image.open(io.BytesIO(make_thumbnail(encoded(logo, "PNG")).data)) as kept:
        assert kept.mode == "RGBA"
    cmyk = Image.new("CMYK", (50, 50), (0, 100, 100, 0))
    assert make_thumbnail(encoded(cmyk, "JPEG")).width == 50
    frames = [Image.new("P", (40, 30), i) for i in range(3)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:])
    assert make_thumbnail(gif.getvalue()).height == 30  # the first frame


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height pixels (a decompression bomb's opening)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "not an image"),
        (b"<html><body>Not found</body></html>", "not an image"),
        (png_claiming(100_000, 100_000), "pixels"),
        (encoded(Image.new("RGB", (64, 64)), "JPEG")[:200], "damaged"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not an image",
        ),
    ],
)
def test_what_is_no_image_we_keep_is_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused, match=reason):
        make_thumbnail(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_webp_or_a_refusal(raw: bytes) -> None:
    try:
        thumb = make_thumbnail(b"\x89PNG\r\n\x1a\n" + raw if raw[:1] == b"\0" else raw)
    except ImageRefused:
        return
    assert thumb.data.startswith(b"RIFF")
