"""Text normalisation shared by the stories stage: tokens, sentences, numbers, names, quotes.

Hand-written with the standard library's `re` and `unicodedata`: the stage needs the same cheap,
language-agnostic rules for every article (about a millisecond each), which no NLP library gives
without loading a model per language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from actuel.text import unaccent

# Past this many characters an article adds nothing to a same-story decision, only cost.
MAX_CHARS = 60_000

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# one CJK character per token (no spaces between words there), else runs of letters and digits
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«“(\[]?[^\W\d_])|(?<=[。！？])|\n+")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")

_MONTHS = {
    # fr
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # de
    "januar": 1, "februar": 2, "marz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    # es, it
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
}  # fmt: skip
_PERCENT_WORDS = r"%|pour\s?cent|percent|per\s?cent|prozent|por\s?ciento|per\s?cento|procent"
# "1 400", "1,400", "1.400", "2,5", "12 %", "9.4 percent"; thin and no-break spaces group digits
# starts on a digit so that `re` can skip ahead fast; what precedes is checked in numbers()
_NUMBER = re.compile(
    r"(\d{1,3}(?:[ \u00a0\u202f\u2009.,']\d{3})+|\d+)(?:[.,](\d+))?(?!\w)"
    rf"(\s?(?:{_PERCENT_WORDS})(?!\w))?",
    re.IGNORECASE,
)
# dates are found from their day number, then the month word before or after it (faster than
# trying fifty month names at every word)
_DIGITS = re.compile(r"\d+")
_MONTH_AFTER = re.compile(r"(?:er|\.)?\s+([a-z]{3,10})\b")
_MONTH_BEFORE = re.compile(r"\b([a-z]{3,10})\s+$")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)?\b")

# upper-case letters of the Latin, Greek and Cyrillic blocks, as a character class
_UPPER = "".join(re.escape(c) for c in map(chr, range(0x2000)) if c.isupper())
_UPPER_WORD = rf"[{_UPPER}][^\W_]*(?:[-'’][^\W_]+)*"
# a proper noun: capitalised words, perhaps joined by particles ("Banque centrale de Kalandie"
# keeps only the capitalised words; "Jean de La Fontaine" stays whole)
_PARTICLE = r"(?:de|du|des|la|le|van|von|der|den|di|da|al|el|bin|ibn)"
_NAME = re.compile(rf"{_UPPER_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_UPPER_WORD})*")
_CONNECTORS = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "al",
        "el",
        "bin",
        "ibn",
        "d",
        "l",
    ]
)
# capitalised in English and German, yet no evidence of a shared story
_NOT_NAMES = frozenset(_MONTHS) | frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "i",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "it",
        "he",
        "she",
        "we",
        "they",
        "this",
        "that",
        "but",
        "and",
        "mr",
        "mrs",
        "ms",
        "dr",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "el",
        "los",
        "las",
    ]
)
_QUOTES = re.compile(
    r"«\s*([^«»]{3,600}?)\s*»|“([^“”]{3,600}?)”|„([^„“”]{3,600}?)[“”]"
    r"|\"([^\"]{3,600}?)\"|「([^「」]{1,600}?)」"
)


def clip(text: str) -> str:
    """The text cut to MAX_CHARS (a 5 MB page costs what a long article costs)."""
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS]


def tokens(text: str) -> list[str]:
    """Folded word tokens; each CJK character is a token of its own."""
    return _TOKEN.findall(unaccent(clip(text)))


def sentences(text: str) -> list[str]:
    """Sentences, split on end punctuation followed by a capital or a new line."""
    parts = _SENTENCE_END.split(clip(text).strip())
    return [s for s in (_SPACES.sub(" ", p).strip() for p in parts) if s]


def lead(title: str, text: str, count: int = 3, max_chars: int = 600) -> str:
    """Title and first sentences: what an encoder reads of an article."""
    first = " ".join(sentences(text[: max_chars * 3])[:count])
    joined = f"{title.strip()}. {first}" if title.strip() else first
    return joined[:max_chars]


def _normalise_number(whole: str, fraction: str | None, percent: str | None) -> str:
    digits = re.sub(r"\D", "", whole)
    value = digits.lstrip("0") or "0"
    if fraction and fraction.strip("0"):
        value = f"{value}.{fraction.rstrip('0')}"
    return value + ("%" if percent else "")


def numbers(text: str) -> list[str]:
    """Numbers in reading order, normalised: "1 400", "1,400" and "1400" all give "1400".

    Percentages end with "%" ("12 %", "12 percent" → "12%"); a day and month in any of
    French, English, German, Spanish or Italian gives "d16m11". Lone digits 0–9 are left out:
    they are spelled out as often as not and match everywhere.
    """
    clipped = clip(text)
    found: list[tuple[int, str]] = []
    for m in _NUMBER.finditer(clipped):
        start = m.start()
        if start and (clipped[start - 1].isalnum() or clipped[start - 1] in "_.,"):
            continue  # inside a word or a longer number: "A320", "v2.5"
        whole, fraction, percent = m.group(1), m.group(2), m.group(3)
        if fraction is not None and len(fraction) == 3 and not percent and "," in m.group(0):
            # "1,400" is one thousand four hundred in English; keep both readings
            found.append((m.start(), _normalise_number(whole + fraction, None, None)))
        value = _normalise_number(whole, fraction, percent)
        if len(value) > 1 or percent:
            found.append((m.start(), value))
    folded = unaccent(clipped)
    if len(folded) == len(clipped):  # positions agree only if folding kept the length
        found.extend(_dates(folded))
    found.sort()
    return [value for _, value in found]


def _dates(folded: str) -> list[tuple[int, str]]:
    """(position, "d16m11") for "16 novembre", "16. November", "November 16th"."""
    out = []
    for m in _DIGITS.finditer(folded):
        day = m.group(0)
        if len(day) > 2 or not 1 <= int(day) <= 31:
            continue
        after = _MONTH_AFTER.match(folded, m.end())
        if after and after.group(1) in _MONTHS:
            out.append((m.start(), f"d{int(day)}m{_MONTHS[after.group(1)]}"))
            continue
        before = _MONTH_BEFORE.search(folded, max(0, m.start() - 12), m.start())
        if before and before.group(1) in _MONTHS and _ORDINAL.match(folded, m.end()):
            out.append((before.start(), f"d{int(day)}m{_MONTHS[before.group(1)]}"))
    return out


_POSSESSIVE = re.compile(r"['’]s?$")


@lru_cache(maxsize=4096)
def _is_connector(word: str) -> bool:
    return word.lower() in _CONNECTORS


def names(text: str) -> list[str]:
    """Capitalised names in reading order, folded ("Pascal Oyono", "Port-Ambre", "BCK").

    A capitalised word opening a sentence counts only when the text also writes it capitalised
    elsewhere, so "Les", "Mardi" or "The" at a sentence start are not taken for names (the
    capitalised words after it are: "Irene Sallow a démissionné" keeps "Sallow").
    """
    clipped = clip(text)
    candidates: list[tuple[str, bool]] = []
    for m in _NAME.finditer(clipped):
        start = m.start()
        before = clipped[max(0, start - 3) : start].rstrip(" \u00a0\"«“'(")
        sentence_start = not before or before[-1] in ".!?:\n–—-…»”"
        candidates.append((m.group(0), sentence_start))
    mid_sentence = {unaccent(w) for name, start in candidates if not start for w in name.split()}
    result: list[str] = []
    for name, sentence_start in candidates:
        words = name.split()
        if sentence_start:
            # drop a leading common word: "Les dockers" → nothing, "Mardi Pascal Oyono" → the name;
            # the words after it are capitalised mid-sentence: "Irene Sallow has left" → "Sallow"
            if unaccent(words[0]) not in mid_sentence:
                words = words[1:]
            while words and _is_connector(words[0]):
                words = words[1:]
        if not words:
            continue
        name_text = unaccent(" ".join(words))
        if len(name_text) >= 2 and name_text not in _NOT_NAMES:
            result.append(name_text)
    return result


def name_words(found_names: list[str]) -> list[str]:
    """Words of names in reading order, particles and the possessive left out: "Oyono" then
    matches "Pascal Oyono", and "Palin's church" names Palin."""
    words = (_POSSESSIVE.sub("", w) for name in found_names for w in name.split())
    return [w for w in words if not _is_connector(w) and len(w) > 1]


def quotes(text: str) -> list[str]:
    """Direct quotes: text inside « », “ ”, „ “, " " or 「 」."""
    return [next(g for g in m.groups() if g) for m in _QUOTES.finditer(clip(text))]
