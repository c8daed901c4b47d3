"""Search keys: words folded (case, accents, ligatures), then stemmed by Snowball per language.

The same steps as PostgreSQL's `actuel_fr` / `actuel_en` configurations (unaccent, then the
Snowball stemmer, no stop words), so a query means the same on both backends. SQLite's FTS5 has no
stemmer we can plug in from Python, so the index stores these keys (see store/search.py).
"""

from __future__ import annotations

import re
import sqlite3
import threading

import Stemmer

from actuel.text import fold

# languages whose articles are stemmed; the rest are only folded
STEMMED = {"fr": "french", "en": "english"}
# PostgreSQL caps a tsvector at 1 MB; the start of a text is plenty to find it (both backends)
SEARCH_CHARS = 200_000
INDEX_FUNCTION = "actuel_search_keys"
_KEY_CACHE_SIZE = 100_000

WORD = re.compile(r"[^\W_]+")
_local = threading.local()  # Snowball stemmers keep state: one set per thread


def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    algorithm = STEMMED.get(lang)
    if algorithm is None:
        return None
    stemmers: dict[str, Stemmer.Stemmer] = _local.__dict__.setdefault("stemmers", {})
    if lang not in stemmers:
        stemmers[lang] = Stemmer.Stemmer(algorithm)
    return stemmers[lang]


def keys(text: str, lang: str | None) -> list[str]:
    """The search keys of a text in language `lang` (ISO 639-1), in order."""
    words = WORD.findall(fold(text))
    stemmer = _stemmer(lang or "")
    return stemmer.stemWords(words) if stemmer is not None else words


def index_text(text: str | None, lang: str | None) -> str:
    """What the SQLite index stores for a column: its keys, space separated.

    The same as joining `keys(text, lang)`, computed per space-separated token through a cache:
    a text repeats most of its tokens, and folding and stemming each occurrence again made this a
    fifth of the writer's time on a large ingest pass.
    """
    if not text:
        return ""
    cache: dict[str, str] = _local.__dict__.setdefault("tokens_" + (lang or ""), {})
    parts: list[str] = []
    for token in text[:SEARCH_CHARS].split():
        found = cache.get(token)
        if found is None:
            if len(cache) > _KEY_CACHE_SIZE:
                cache.clear()
            found = cache[token] = " ".join(keys(token, lang))
        if found:
            parts.append(found)
    return " ".join(parts)


def query_keys(word: str, lang: str | None) -> set[str]:
    """The keys one query word may have in the index.

    With a language filter, that language's key; without, any language's: the reader's word is
    looked up as French, as English and as plain folded text (an article in another language).
    """
    if lang is not None:
        return set(keys(word, lang))
    found: set[str] = set(WORD.findall(fold(word)))
    for code in STEMMED:
        found.update(keys(word, code))
    return found


def word_key(word: str, lang: str | None) -> str:
    """The key of one word of a text in `lang` (cached: snippets look up thousands of words)."""
    cache: dict[str, str] = _local.__dict__.setdefault("keys_" + (lang or ""), {})
    key = cache.get(word)
    if key is None:
        if len(cache) > _KEY_CACHE_SIZE:
            cache.clear()
        found = keys(word, lang)
        key = found[0] if len(found) == 1 else " ".join(found)
        cache[word] = key
    return key


def term_of_key(wanted: list[set[str]]) -> dict[str, int]:
    """Which query term (its index) each key stands for; the first term wins a shared key."""
    lookup: dict[str, int] = {}
    for index, term in enumerate(wanted):
        for key in term:
            lookup.setdefault(key, index)
    return lookup


def register(conn: sqlite3.Connection) -> None:
    """Make `actuel_search_keys(text, lang)` callable on this connection (the index triggers)."""
    conn.create_function(INDEX_FUNCTION, 2, index_text, deterministic=True)
