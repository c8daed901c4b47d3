"""A page's date read from its text: htmldate's extensive search, its parser kept to news languages.

htmldate hands the date expressions it cannot read itself to dateparser, built with every one of
dateparser's ~200 locales: each process then spends about 2.7 s compiling their patterns on the
first page without a dated markup, and about 20 ms on each expression after that. Built with the
languages news portals publish in (those below that dateparser knows), the same expressions take
about 4 ms and nothing is paid up front. htmldate builds that parser in one cached factory, which is
replaced when this module is imported; if a later htmldate drops the factory, only the speed is
lost.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import htmldate
import htmldate.extractors
from lxml.html import HtmlElement

# the languages news portals publish in, French first, that dateparser knows
_LANGUAGES = "fr en de es it pt nl ca eu br ar ru zh ja ko tr pl uk ro el sv da nb fi cs hu hi vi"
_LANGUAGES += " sw id ha yo ln am"
DATE_LANGUAGES = _LANGUAGES.split()

_HTMLDATE_FACTORY = getattr(htmldate.extractors, "get_external_parser", None)
# what htmldate sets on its parser, read from it so that only the languages change
_SETTING_NAMES = (
    "NORMALIZE",
    "PARSERS",
    "PREFER_DATES_FROM",
    "PREFER_LOCALE_DATE_ORDER",
    "RETURN_AS_TIMEZONE_AWARE",
    "STRICT_PARSING",
)


@lru_cache(maxsize=1)
def _news_date_parser() -> Any:
    from dateparser import DateDataParser

    assert _HTMLDATE_FACTORY is not None
    own = getattr(_HTMLDATE_FACTORY(), "_settings", None)
    settings = {name: getattr(own, name) for name in _SETTING_NAMES if hasattr(own, name)}
    return DateDataParser(languages=DATE_LANGUAGES, settings=settings or None)


if _HTMLDATE_FACTORY is not None:
    htmldate.extractors.get_external_parser = _news_date_parser


def date_from_text(tree: HtmlElement, url: str | None) -> datetime | None:
    """The page's date as htmldate finds it anywhere in the page (a day, at midnight UTC)."""
    try:
        found = htmldate.find_date(tree, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate must not make extraction fail on odd pages
        return None
    if not found:
        return None
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
