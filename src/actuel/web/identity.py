"""One portal's identity from settings: base URL, languages offered, social links, theme colours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

from actuel.config import SETTINGS_BY_NAME, Settings
from actuel.web.i18n import SUPPORTED

COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


@dataclass(frozen=True)
class SocialLink:
    name: str
    url: str


def base_url(settings: Settings, request: Request | None = None) -> str:
    """The site's public address without a trailing slash: the setting, else the request's."""
    configured = str(settings.site_base_url or "").strip().rstrip("/")
    if configured and urlsplit(configured).scheme in ("http", "https"):
        return configured
    if request is None:
        return ""
    return str(request.base_url).rstrip("/")


def absolute_url(settings: Settings, request: Request | None, path: str) -> str:
    """`path` (starting with /) on the site's public address."""
    return base_url(settings, request) + path


def site_languages(settings: Settings) -> list[str]:
    """The languages a reader may pick, in the order of the setting; the site's own always in."""
    wanted = [code.strip().lower() for code in str(settings.site_languages).split(",")]
    chosen = [code for code in dict.fromkeys(wanted) if code in SUPPORTED]
    default = str(settings.site_lang)
    if default in SUPPORTED and default not in chosen:
        chosen.insert(0, default)
    return chosen


def social_links(settings: Settings) -> list[SocialLink]:
    """The "Suivez-nous" links, `name=https://…` pairs; anything not http(s) is left out."""
    links = []
    for pair in str(settings.site_social or "").split(","):
        name, _, url = pair.partition("=")
        name, url = name.strip(), url.strip()
        if name and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
            links.append(SocialLink(name, url))
    return links


def logo_url(settings: Settings) -> str | None:
    """The logo's address when it is http(s) or a path on this site."""
    url = str(settings.site_logo_url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    return url if urlsplit(url).scheme in ("http", "https") else None


def accent_color(settings: Settings) -> str:
    """The accent colour: the setting when it is a #rgb/#rrggbb colour, else the default."""
    color = str(settings.site_color).strip()
    return color if COLOR.match(color) else str(SETTINGS_BY_NAME["site_color"].default)


def theme_css(settings: Settings) -> str:
    """The stylesheet carrying the portal's colours (served as a file: the CSP forbids inline)."""
    return f":root {{ --accent: {accent_color(settings)}; }}\n"


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a #rgb/#rrggbb colour."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; text needs 4.5)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
