"""An outlet's image made safe to serve: decoded by Pillow within a pixel budget, turned upright,
resized, and re-encoded as WebP with no metadata (no EXIF location, no embedded profile).

Pillow does the decoding and encoding; this module only bounds what it is given: a file that
claims more than MAX_PIXELS, is not an image, or fails to decode is refused with the reason,
never half-kept. The copy is what the site shows beside the outlet's credit.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 8,000 × 5,000: a press photo, not a decompression bomb
MAX_WIDTH = 800  # the article page's column; cards show it smaller
MAX_HEIGHT = 800
QUALITY = 78
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "AVIF"}


@dataclass(frozen=True)
class Thumbnail:
    """The re-encoded image."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/webp"


class ImageRefused(ValueError):  # noqa: N818 - reads as what happened to the image
    """The bytes are not an image we keep; the message says why."""


def make_thumbnail(raw: bytes) -> Thumbnail:
    """The WebP copy of `raw` (ImageRefused when it is not an image we keep)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in FORMATS:
                    raise ImageRefused(f"format {probe.format or 'unknown'} is not kept")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ImageRefused(f"{width}×{height} pixels is more than {MAX_PIXELS:,}")
                probe.seek(0)  # the first frame of an animation
                image = ImageOps.exif_transpose(probe)
                image.load()
    except ImageRefused:
        raise
    except UnidentifiedImageError:
        raise ImageRefused("not an image Pillow can read") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageRefused(f"too many pixels ({exc})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's decoders' errors
        raise ImageRefused(f"the image is damaged ({type(exc).__name__}: {exc})") from None
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=QUALITY, method=4)  # no exif= / icc_profile=: dropped
    return Thumbnail(out.getvalue(), image.width, image.height)
