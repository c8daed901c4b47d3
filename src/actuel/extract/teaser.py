"""Teasers: pages showing only the start of an article (an excerpt, a paywall) and pointing on.

Hand-written: a short list of French and English phrases (`TEASER_ENDINGS`) plus the "…" a cut text
ends with. The pipeline keeps a teaser's text but should not take it for a full report.
"""

from __future__ import annotations

import re

TEASER_ENDINGS = (
    r"lire la suite( de l['’]article)?( (sur|dans) .{1,80})?",
    r"la suite (de cet article )?est réservée aux abonnés.{0,80}",
    r"(cet article|article) réservé aux abonnés.{0,80}",
    r"abonnez-vous pour lire la suite.{0,80}",
    r"il vous reste \d+ ?% de cet article à lire.{0,80}",
    r"read more( (on|at) .{1,80})?",
    r"continue reading( (on|at) .{1,80})?",
    r"read the full (story|article)( (on|at) .{1,80})?",
    r"(subscribe|sign in|log in) to (read|continue).{0,80}",
    r"this (article|story) is for subscribers.{0,80}",
)
# The words of a link to the rest of the article elsewhere: they name where ("… sur Vallée Matin").
READ_MORE_LINK = re.compile(
    r"(lire la suite( de l['’]article)?|la suite|à lire|lire l['’]article( complet)?|read more|"
    r"continue reading|"
    r"read the full (story|article)) (sur|dans|on|at) .{2,80}",
    re.IGNORECASE,
)
_ENDING = re.compile("|".join(f"(?:{p})" for p in TEASER_ENDINGS), re.IGNORECASE)
_CUT = re.compile(r"(…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")


def looks_like_teaser(text: str) -> bool:
    """True when the text ends cut short ("…") or with a "read the rest elsewhere" line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return False
    last = lines[-1].strip(" .:»>→")
    if _ENDING.fullmatch(last):
        return True
    return bool(_CUT.search(lines[-1]))
