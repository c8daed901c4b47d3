"""Signs that a translation was made by a machine and published as it came out: bracketed
leftovers in the source's language ("[this week]"), runs of the source's own words left
untranslated, and the source's quotation marks kept where the text's language writes others.

Hand-written over py3langid (which language a short span is likelier in): the signs are what
editors spot on a portal's page, and no library looks for them. They are shown, never used to
rewrite an outlet's text. Measured on WMT21 machine vs human translations and the portal page by
`bench/machine_translation.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actuel.enrich.language import likelier_language

# the usual source of a translation whose original we do not hold
DEFAULT_SOURCE = "en"
MAX_SPAN_WORDS = 6
SURE = 0.8  # how sure py3langid must be that a span is in the source's language, not the text's
SURE_RUN = 0.9  # stricter for runs of words: a few words shared by two languages mislead it
MIN_RUN_WORDS = 2
# the quotation marks each language writes; straight quotes are nobody's convention in print
QUOTES = {
    "fr": "«»",
    "de": "„“»«",
    "es": "«»“”",
    "it": "«»“”",
    "pt": "«»“”",
    "nl": "“”‘’„",
    "en": "“”",
}

_BRACKETED = re.compile(r"\[([^\[\]\n]{2,80})\]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_QUOTED = re.compile(r"«[^»]{0,2000}»|\"[^\"]{0,2000}\"|„[^“”]{0,2000}[“”]|“[^”]{0,2000}”")
_JOINED = re.compile(r"[ \u00a0'’-]{1,3}")  # what may stand between two words of one run
_NOT_LEFTOVER = frozenset({"sic", "ndlr", "ndt", "nda", "ed", "red", "anm", "trad"})


@dataclass(frozen=True)
class MachineSigns:
    """What a text shows of a machine translation published unedited."""

    leftovers: tuple[str, ...] = ()  # bracketed spans in the source's language: "[this week]"
    untranslated: tuple[str, ...] = ()  # runs of the source's words left as they were
    quotes_kept: bool = False  # the source's straight quotes where the language writes others

    @property
    def likely(self) -> bool:
        """One leftover, two untranslated runs, or the source's straight quotes kept throughout
        (professional translators write their language's marks: 0 of 74 on WMT21, against 58%
        of machine translations; bench/machine_translation.py)."""
        return bool(self.leftovers) or len(set(self.untranslated)) >= 2 or self.quotes_kept

    @property
    def marks(self) -> tuple[str, ...]:
        """The spans to mark in the text, as they stand in it."""
        return tuple(dict.fromkeys((*self.leftovers, *self.untranslated)))


def machine_signs(
    text: str, lang: str | None, source_text: str | None = None, source_lang: str | None = None
) -> MachineSigns:
    """The signs `text` (in `lang`) shows of a machine translation from `source_lang` (English
    when unknown); `source_text`, when held, tells which words were left untranslated."""
    if not text or not lang:
        return MachineSigns()
    source = source_lang or DEFAULT_SOURCE
    if source == lang:
        return MachineSigns()
    return MachineSigns(
        leftovers=_leftovers(text, lang, source),
        untranslated=_untranslated(text, lang, source_text, source) if source_text else (),
        quotes_kept=_quotes_kept(text, lang, source_text),
    )


def _leftovers(text: str, lang: str, source: str) -> tuple[str, ...]:
    found = []
    for match in _BRACKETED.finditer(text):
        inside = match.group(1).strip()
        words = _WORD.findall(inside)
        if not words or len(words) > MAX_SPAN_WORDS or words[0].lower() in _NOT_LEFTOVER:
            continue
        best, sure = likelier_language(inside, [lang, source])
        if best == source and sure >= SURE:
            found.append(match.group(0))
    return tuple(found)


def _set_apart(text: str) -> list[tuple[int, int]]:
    """Spans a run of the source's words is no sign inside: quotes (words said in the source's
    language may stay so), and brackets (a leftover there is a sign of its own)."""
    return [m.span() for m in (*_QUOTED.finditer(text), *_BRACKETED.finditer(text))]


def _untranslated(text: str, lang: str, source_text: str, source: str) -> tuple[str, ...]:
    """Runs of lower-case words found in the source, in the source's language, outside quotes
    and brackets, and not continuing a name (a capitalised word just before: "Ministère de la
    santé")."""
    source_words = {w.lower() for w in _WORD.findall(source_text)}
    apart = _set_apart(text)
    tokens = list(_WORD.finditer(text))
    found: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j < len(tokens)
            and tokens[j].group().lower() in source_words
            and not tokens[j].group()[0].isupper()
            and (j == i or _JOINED.fullmatch(text[tokens[j - 1].end() : tokens[j].start()]))
        ):
            j += 1
        if j - i >= MIN_RUN_WORDS and not _continues_name(tokens, i, source_words):
            start, end = tokens[i].start(), tokens[j - 1].end()
            span = text[start:end]
            set_apart = any(a <= start and end <= b for a, b in apart)
            if not set_apart and max(len(t.group()) for t in tokens[i:j]) >= 4:
                best, sure = likelier_language(span, [lang, source])
                if best == source and sure >= SURE_RUN:
                    found.append(span)
        i = max(j, i + 1)
    return tuple(found)


def _continues_name(tokens: list[re.Match[str]], start: int, source_words: set[str]) -> bool:
    if start == 0:
        return False
    before = tokens[start - 1].group()
    return before[0].isupper() and before.lower() in source_words


def _quotes_kept(text: str, lang: str, source_text: str | None) -> bool:
    marks = QUOTES.get(lang)
    if marks is None or text.count('"') < 2 or any(m in text for m in marks):
        return False
    return source_text is None or '"' in source_text
