"""Languages of the site: Babel catalogs, the reader's locale, dates and numbers per locale.

Message ids are French (the default language); the English catalog translates them, so a string
missing from a catalog still shows in French. Catalogs: web/locale's `.po`, compiled in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib.resources import files

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SUPPORTED = ("fr", "en")
LANG_COOKIE = "actuel_lang"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a string marked, not translated
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog of `lang` (French needs none: its strings are the message ids)."""
    path = files("actuel.web") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    if lang == "fr" or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext_for(lang: str) -> Callable[..., str]:
    """`_("Lire la suite sur %(outlet)s", outlet=name)`: translated, then variables filled in."""
    catalog = translations(lang)

    def gettext(message: str, **variables: object) -> str:
        text = catalog.gettext(message)
        return text % variables if variables else text

    return gettext


def ngettext_for(lang: str) -> Callable[..., str]:
    """`ngettext("%(num)d article", "%(num)d articles", n)`: plural by the locale's rules."""
    catalog = translations(lang)

    def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
        if lang == "fr":  # the message ids themselves, by French rules: 0 and 1 are singular
            text = singular if locale(lang).plural_form(abs(n)) == "one" else plural
        else:
            text = catalog.ngettext(singular, plural, n)
        return text % {"num": n, **variables}

    return ngettext


def negotiate(
    cookie: str | None,
    accept_language: str | None,
    default: str,
    offered: Sequence[str] = SUPPORTED,
) -> str:
    """The reader's choice (cookie), else the best of Accept-Language the site offers (among the
    languages we have catalogs for), else the site's."""
    offered = [lang for lang in offered if lang in SUPPORTED] or list(SUPPORTED)
    if cookie in offered:
        return cookie
    for lang, _quality in _accepted(accept_language or ""):
        if lang in offered:
            return lang
    return default if default in SUPPORTED else offered[0]


def _accepted(header: str) -> list[tuple[str, float]]:
    ranked: list[tuple[str, float]] = []
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        if not token:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((token.split("-")[0].lower(), quality))
    return sorted((r for r in ranked if r[1] > 0), key=lambda r: -r[1])


@cache
def locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=4096)  # a listing shows the same few dates on every page
def format_date(value: datetime | None, lang: str = "fr") -> str:
    """`18 novembre 2026 à 07:40` in French, `18 November 2026 at 07:40` in English (UTC)."""
    if value is None:
        return ""
    value = value.astimezone(UTC)
    if value.time() == datetime.min.time():  # a date without a time of day
        return format_datetime(value, "d MMMM y", locale=locale(lang))
    pattern = "d MMMM y 'à' HH:mm" if lang == "fr" else "d MMMM y 'at' HH:mm"
    return format_datetime(value, pattern, tzinfo=UTC, locale=locale(lang))
