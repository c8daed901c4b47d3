"""Text helpers shared by the stages, the store, the site, the API and the demo: folding words for
comparison, markup left in plain text, excerpts, French month names."""

from __future__ import annotations

import html
import re
import unicodedata

# Latin diacritics, as PostgreSQL's unaccent removes them: search keys must fold on both backends
# alike (store/stemming.py)
_DIACRITICS = re.compile(r"[\u0300-\u036f]+")
# every combining mark NFKD can leave, Latin or not; a regex runs at C speed
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)

# block elements whose tags stand for a line break; any other tag goes without a trace
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|tr|section|article|header|footer)\b[^<>]{0,300}>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]{0,500}>")

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def fold(text: str) -> str:
    """Lower case, without accents or ligatures: `Œuvre Élysée` → `oeuvre elysee`. How search
    keys, rubriques and outlet names compare words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _DIACRITICS.sub("", decomposed).translate(_LIGATURES)


def unaccent(text: str) -> str:
    """Lower case without any combining mark, ligatures kept: `Écho` → `echo`, `œuvre` stays.
    How the stories stage compares words (its thresholds were measured on this folding)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


def strip_markup(text: str) -> str:
    """The text without HTML leftovers (tags, entities), block elements kept as line breaks.

    For text that should be plain and may not be (a feed's summary, a page badly extracted);
    not a parser: `extract.fragment.html_to_text` is, for real HTML."""
    if "<" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return text


def excerpt(text: str | None, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    if not text:
        return ""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + " …"
