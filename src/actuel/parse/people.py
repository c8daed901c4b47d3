"""Author names as plain text: tags dropped with their attributes (words kept), entities read,
and a leading "By", "Par", "Von" or "Por" of a byline left out (not "Di", "De": names begin so)."""

from __future__ import annotations

import html
import re

from actuel.parse.markup import strip_tags

_BYLINE = re.compile(r"^(?:by|par|von|por)\s+(?=\S)", re.IGNORECASE)


def person_name(raw: str | None) -> str | None:
    """`<b onmouseover="…">Evil Author</b>` -> "Evil Author"; "Par Awa Nfor" -> "Awa Nfor"."""
    if raw is None:
        return None
    text = html.unescape(strip_tags(raw))
    if "<" in text:  # markup written escaped: read once more
        text = strip_tags(text)
    text = " ".join(text.split())
    without = _BYLINE.sub("", text)
    if without and without[0].isupper():
        text = without
    return text or None
