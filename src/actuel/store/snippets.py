"""Snippets of search results: a window of the original text with the matching words marked.

Built here from the stored text for the few rows shown, on both backends alike: the SQLite index
holds stems, not the text (FTS5's snippet() would show stems), and ts_headline is costly. A regular
expression finds the words that may match (those starting like a key, whatever their accents);
only those are stemmed to confirm.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from actuel.model import Article
from actuel.store.stemming import term_of_key, word_key

MARK_START = "\x02"  # snippets wrap each match in these; web/render turns them into <mark>
MARK_END = "\x03"
WINDOW_CHARS = 200  # about 30 words
LEAD_CHARS = 40  # shown before the first match of the window
SCAN_CHARS = 50_000  # matches further into a very long text are not looked for
MAX_HITS = 200
_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")
_SPACE = re.compile(r"\s+")
_ACCENTED = {
    "a": "aàáâãäåā",
    "c": "cç",
    "e": "eèéêëē",
    "i": "iìíîïī",
    "n": "nñ",
    "o": "oòóôõöøō",
    "u": "uùúûüū",
    "y": "yýÿ",
}


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces, for rendering the matches highlighted."""
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(_MARKS.split(snippet)):
        if piece:
            parts.append((piece, i % 2 == 1))
    return parts


def snippet(article: Article, wanted: list[set[str]]) -> str:
    """The best window of the text (else summary, else title) with the query's words marked."""
    lookup = term_of_key(wanted)
    candidates = _candidates(frozenset(lookup))
    # matches past SCAN_CHARS are not looked for: the rest of a long text is never shown
    limit = SCAN_CHARS + WINDOW_CHARS
    texts = (article.text, article.summary, article.title)
    fields = [_MARKS.sub(" ", text[:limit]) for text in texts if text]
    for field in fields:
        hits = _hits(field, article.language, lookup, candidates)
        if hits:
            return _window(field, hits)
    return _window(fields[0], []) if fields else ""


@lru_cache(maxsize=256)
def _candidates(keys: frozenset[str]) -> re.Pattern[str]:
    """Words that start like one of the keys (less its last letter: `happi` for `happy`)."""
    prefixes = sorted({key[: max(1, len(key) - 1)] for key in keys}, key=len, reverse=True)
    pattern = "|".join("".join(_letter(c) for c in prefix) for prefix in prefixes)
    return re.compile(rf"(?<!\w)(?:{pattern})\w*", re.IGNORECASE)


def _letter(char: str) -> str:
    variants = _ACCENTED.get(char)
    return f"[{variants}]" if variants else re.escape(char)


def _hits(
    text: str, lang: str | None, lookup: dict[str, int], candidates: re.Pattern[str]
) -> list[tuple[int, int, int]]:
    """(start, end, term index) of the words of the text that match a term."""
    hits = []
    for match in candidates.finditer(text, 0, SCAN_CHARS):
        term = lookup.get(word_key(match.group(), lang))
        if term is not None:
            hits.append((match.start(), match.end(), term))
            if len(hits) >= MAX_HITS:
                break
    return hits


def _window(text: str, hits: list[tuple[int, int, int]]) -> str:
    """About WINDOW_CHARS around the hits with the most distinct terms, matches marked."""
    begin = _best_begin(hits, len(text))
    if begin > 0 and not text[begin - 1].isspace():  # start at the beginning of a word
        begin = max(text.rfind(" ", 0, begin), text.rfind("\n", 0, begin)) + 1
    end = min(len(text), begin + WINDOW_CHARS)
    if end < len(text):  # end on a word, after the last match shown
        last = max((stop for start, stop, _ in hits if begin <= start < end), default=begin)
        cut = text.rfind(" ", last, end)
        end = cut if cut > last else max(last, end)
    out: list[str] = ["… " if begin > 0 else ""]
    cursor = begin
    for start, stop, _ in hits:
        if begin <= start and stop <= end:
            out += [text[cursor:start], MARK_START, text[start:stop], MARK_END]
            cursor = stop
    out.append(text[cursor:end])
    if end < len(text.rstrip()):
        out.append(" …")
    return _SPACE.sub(" ", "".join(out)).strip()


def _best_begin(hits: list[tuple[int, int, int]], length: int) -> int:
    """Where the window with the most distinct terms, then the most matches, begins."""
    best: tuple[int, int, int] | None = None  # (distinct terms, matches, -begin)
    inside: Counter[int] = Counter()
    left = right = 0
    for first, _, _ in hits:  # windows slide forward: matches enter on the right, leave left
        # near the end, a full window reaches back further rather than stop short
        begin = max(0, min(first - LEAD_CHARS, length - WINDOW_CHARS))
        if first < WINDOW_CHARS // 2:  # close to the start: show the text from its start
            begin = 0
        while right < len(hits) and hits[right][0] < begin + WINDOW_CHARS:
            inside[hits[right][2]] += 1
            right += 1
        while hits[left][0] < begin:
            inside[hits[left][2]] -= 1
            left += 1
        score = (sum(1 for n in inside.values() if n), right - left, -begin)
        if best is None or score > best:
            best = score
    return -best[2] if best is not None else 0
