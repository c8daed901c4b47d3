"""Plain comment text cut into paragraphs of text and link pieces, for the template to escape.

Nothing here is HTML: the template writes each piece through autoescaping, and only http(s)
addresses become links. Written by hand because linkifiers (bleach) produce HTML strings that would
have to be marked safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what a link looks like in running text; trailing punctuation belongs to the sentence
LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}»'\""
# anything a spammer would count on being clicked or copied, linked by us or not
LINK_LIKE = re.compile(
    r"(?:https?://|www\.|\b[a-z0-9-]+\.(?:com|net|org|ru|io|xyz|top|info)\b)", re.I
)


@dataclass(frozen=True)
class Piece:
    """Text, or a link when `href` is set (its text is the address as written)."""

    text: str
    href: str | None = None


def count_links(text: str) -> int:
    """How many addresses the text carries, whether or not we would link them."""
    return len(LINK_LIKE.findall(text))


def pieces(line: str) -> list[Piece]:
    """One paragraph as text and http(s) link pieces, in order."""
    out: list[Piece] = []
    position = 0
    for match in LINK.finditer(line):
        found = match.group(0)
        url = found.rstrip(TRAILING)
        if url.count("(") > url.count(")") and found[len(url) :].startswith(")"):
            url += ")"  # a wiki-style address keeps its closing bracket
        start, end = match.start(), match.start() + len(url)
        if start > position:
            out.append(Piece(line[position:start]))
        scheme_only = url.split("://", 1)[1] == ""
        out.append(Piece(url) if scheme_only else Piece(url, href=url))
        position = end
    if position < len(line):
        out.append(Piece(line[position:]))
    return out


def paragraphs(text: str) -> list[list[list[Piece]]]:
    """Paragraphs (blank-line separated), each a list of lines, each line a list of pieces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [[pieces(line) for line in block.split("\n")] for block in blocks if block.strip()]
