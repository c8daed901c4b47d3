"""Direct quotes in an article and who said them: « … », a déclaré X; “…,” X said; X : « … ».

Quotes survive copying and often translation, so the stories stage compares them across reports.
Hand-written because no library reads French and English attribution; the verbs and pronouns are
data (`actuel.enrich.names`). The quote marks are paired by one pass over the text (no regex that
could backtrack), and the speaker is looked for in a bounded window around each quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actuel.enrich.names import (
    PRONOUNS,
    TITLE_ABBREVIATIONS,
    aux_pronoun,
    person_names,
    pronoun,
    verb_pattern,
)
from actuel.model import Quote
from actuel.reading.quotes import MIN_QUOTE_WORDS, quote_words
from actuel.text import strip_markup

__all__ = ["Quote", "extract_quotes"]

MAX_QUOTES = 2_000  # a real article has a few dozen; junk text stops here
MAX_MARKS = 20_000  # quote marks read per text, for the same reason
MAX_QUOTE_CHARS = 10_000  # longer "quotes" are marks left open by a broken page
_WINDOW = 200  # characters read after and before a quote for its speaker
_LINE_WINDOW = 2_000  # characters of the paragraph before a quote read for who last spoke

_CLOSERS = {"«": "»", "“": "”", "‹": "›", "„": "“", '"': '"', "‘": "’"}
# ‘…’ as British papers quote; ’ inside a word ("don’t", "l’article") is an apostrophe
_MARKS = re.compile(r'[«»“”‹›„"]|(?<!\w)‘|’(?!\w)')
_LINE = re.compile(r"[^\n]+")
# a sentence ends at . ! ? ; but not after an initial or a title: "J.", "Dr.", "Cpl.", "Brig."
_NOT_ABBREVIATED = "".join(rf"(?<!\b{t})" for t in TITLE_ABBREVIATIONS)
_CLAUSE_END = re.compile(rf"(?<![A-Z]){_NOT_ABBREVIATED}[.;!?](?:\s|$)|[«“\"‹„\[]")
_SENTENCE_START = re.compile(r"(?:^|[.!?…»”]\s+)(?=[^.!?…]*$)")
_SPACES = re.compile(r"\s+")
_ADJACENT = re.compile(r"\s*(?:que|qu['’]|that)?\s*:?\s*$", re.IGNORECASE)
_DISJUNCTIVE = re.compile(r"\s+(lui|elle|him|her)\b", re.IGNORECASE)
_DISJUNCTIVE_AS = {"lui": "il", "elle": "elle", "him": "he", "her": "she"}
_PERSONAL = frozenset(("il", "elle", "he", "she"))  # "on", "they", "ils" name no one person
_VERBS = verb_pattern()
_OPENING_CUE = re.compile(r"^\s*(?:selon|d['’]après|pour|according\s+to)\s+", re.IGNORECASE)


@dataclass
class _Span:
    """A quote found in the text: its parts (one per paragraph) and where it opens and closes."""

    parts: list[str]
    line: int  # index of the line it opens in
    open_at: int  # offset of the opening mark in that line
    close_line: int
    close_at: int  # offset just past the closing mark (or the line's end) in close_line


def _spans(lines: list[str]) -> list[_Span]:
    """Quote marks paired line by line; a quote left open goes on into the next line when that
    line opens with the same mark (the convention for quotes of several paragraphs)."""
    spans: list[_Span] = []
    current: _Span | None = None
    opener = ""
    depth = 0
    start = 0
    budget = MAX_MARKS
    for n, line in enumerate(lines):
        if len(spans) >= MAX_QUOTES or budget <= 0:
            break
        first = _MARKS.search(line)
        skip_first = False
        if current is not None:
            if first and first.group() == opener and not line[: first.start()].strip():
                skip_first, start = True, first.end()
            else:
                spans.append(current)
                current = None
        for i, mark in enumerate(_MARKS.finditer(line)):
            budget -= 1
            if len(spans) >= MAX_QUOTES or budget <= 0:
                break
            if skip_first and i == 0:
                continue
            char = mark.group()
            if current is None:
                if char in _CLOSERS:
                    current = _Span([], n, mark.start(), n, mark.end())
                    opener, depth, start = char, 1, mark.end()
                continue
            if char == opener and char != _CLOSERS[opener]:
                depth += 1
            elif char == _CLOSERS[opener] or (opener == "„" and char == "”"):
                depth -= 1
                if depth == 0:
                    current.parts.append(line[start : mark.start()])
                    current.close_line, current.close_at = n, mark.end()
                    spans.append(current)
                    current = None
        if current is not None:
            # still open at the end of the line: a straight quote never spans lines
            current.parts.append(line[start:])
            current.close_line, current.close_at = n, len(line)
            if opener == '"':
                current = None
    if current is not None:
        spans.append(current)
    return spans


def _said(parts: list[str]) -> str:
    text = _SPACES.sub(" ", " ".join(p.strip() for p in parts)).strip()
    return text.strip(" ,;–—-").strip()


def _after(line: str, at: int) -> tuple[str | None, bool]:
    """The speaker named right after a quote ("», a déclaré X", "”, Ryder said"), and whether a
    speech verb is attached there at all."""
    rest = line[at : at + _WINDOW]
    end = _CLAUSE_END.search(rest)
    clause = rest[: end.start() if end else len(rest)]
    if clause[:1] not in (",", " ", "\u00a0", "\u202f", "–", "—", "-", ""):
        return None, False
    verb = _VERBS.search(clause)
    if verb is None:
        return None, False
    head = clause[: verb.start()]
    if len(head.split()) > 12:
        return None, False
    only_aux, inverted = aux_pronoun(head)
    inverted = inverted or verb.group("inv") or verb.group("inv2")
    if inverted:
        return inverted.lower(), True
    if only_aux:
        disjunctive = _DISJUNCTIVE.match(clause, verb.end())
        if disjunctive:  # "», selon elle": the pronoun of the person last named
            return _DISJUNCTIVE_AS[disjunctive.group(1).lower()], True
        names = person_names(clause[verb.end() :])
        return (names[0][0] if names else None), True
    said_by = pronoun(head)
    if said_by:
        return said_by, True
    subject = _subject(head)
    # "», Ryder said" is attached; "» et annoncé une réunion" is a sentence going on
    return subject, subject is not None and len(head.split()) <= 8


def _subject(head: str) -> str | None:
    """The person who speaks in the words before a speech verb: the one right before the verb
    ("Eastmere Minerals spokesman Graham Tolliver said"), unless a name opens an apposition
    ("Rey, an Australian who lives in Wellington, told Stuff")."""
    names = person_names(head)
    if not names:
        return None
    comma = head.find(",")
    opening = [name for name, _, end in names if comma > 0 and end <= comma]
    return opening[0] if opening else names[-1][0]


def _before(line: str, at: int) -> tuple[str | None, bool]:
    """The speaker named before a quote ("Awa Nfor a déclaré : « … »", "Kirby said that “…”")."""
    window = line[max(0, at - _WINDOW) : at]
    cut = 0
    for match in _SENTENCE_START.finditer(window):
        cut = match.end()
    clause = window[cut:]
    marks = list(_MARKS.finditer(clause))
    if marks:
        clause = clause[marks[-1].end() :]
    verbs = list(_VERBS.finditer(clause))
    colon = clause.rstrip().endswith(":")
    if verbs:
        verb = verbs[-1]
        head = clause[: verb.start()]
        # a verb right before the quote ("a déclaré que « … »") vouches for a short quote
        adjacent = _ADJACENT.match(clause, verb.end()) is not None
        if _OPENING_CUE.match(clause) and verb.start() == 0:
            names = person_names(clause[verb.end() :])
            return (names[0][0] if names else None), adjacent or colon
        said_by = pronoun(head.split(",")[-1]) if head.strip() else None
        if said_by:
            return said_by, adjacent
        subject = _subject(head)
        if subject:
            return subject, adjacent
        names = person_names(clause[verb.end() :])
        return (names[0][0] if names and colon else None), adjacent or colon
    if colon or _OPENING_CUE.match(clause):
        names = person_names(clause)
        return (names[0][0] if names else None), colon
    return None, False


def _speaker_of_line(line: str) -> str | None:
    """The last person a paragraph has speak: "But Helm said the oven…", "…, said Ryder"."""
    names = person_names(line[:_LINE_WINDOW])
    found: str | None = None
    for verb in _VERBS.finditer(line[:_LINE_WINDOW]):
        for name, start, end in names:
            subject = 0 <= verb.start() - end <= 30 and "." not in line[end : verb.start()]
            inverted = 0 <= start - verb.end() <= 3
            if subject or inverted:
                found = name
    return found


def _resolve(
    speaker: str | None, named: list[str], lines: list[str], n: int, at: int, spoke: dict[int, str]
) -> str | None:
    """A pronoun becomes the last speaker named in its paragraph before it, else the last person
    (first and last name) the paragraph names before the quote, else the one who last spoke in
    the paragraph just before ("But Helm said… / “…,” she said"), else None."""
    if not speaker:
        return None
    if speaker.lower() in PRONOUNS and speaker.lower() not in _PERSONAL:
        return None
    if speaker.lower() not in _PERSONAL:
        return speaker
    if named:
        return named[-1]
    people = [name for name, _, _ in person_names(lines[n][:at]) if " " in name]
    if people:
        return people[-1]
    if n == 0 or lines[n][:at].strip(' “”«»"‘’—–-:'):
        return None  # the pronoun's own paragraph says things first: no reaching back
    return spoke.get(n - 1) or _speaker_of_line(lines[n - 1])


def extract_quotes(text: str, *, lang: str | None = None) -> list[Quote]:
    """Direct quotes in `text`, in order, each with its speaker when the text names one nearby.

    Quotes of fewer than MIN_QUOTE_WORDS words count only with a speech verb attached (the
    rest are scare quotes); "il", "elle", "he", "she" become the last named speaker of the
    paragraph (or, for a paragraph that opens with the quote, of the paragraph before); a quote
    with no attribution of its own that follows one in the same paragraph keeps that speaker.
    """
    if not text:
        return []
    lines = [m.group() for m in _LINE.finditer(strip_markup(text))]
    quotes: list[Quote] = []
    named: list[str] = []
    spoke: dict[int, str] = {}  # line → its last speaker
    paragraph = -1
    for span in _spans(lines):
        if sum(len(part) for part in span.parts) > MAX_QUOTE_CHARS:
            continue  # a mark that never closes, not a statement
        said = _said(span.parts)
        words = len(said.split())
        if not words:
            continue
        if span.line != paragraph:
            named, paragraph = [], span.line
        speaker, attached = _after(lines[span.close_line], span.close_at)
        if speaker is None:
            before, attached_before = _before(lines[span.line], span.open_at)
            speaker, attached = before, attached or attached_before
        if words < MIN_QUOTE_WORDS and not attached:
            continue
        speaker = _resolve(speaker, named, lines, span.line, span.open_at, spoke)
        if speaker is None and not attached and named and words >= MIN_QUOTE_WORDS:
            speaker = named[-1]
        if speaker:
            named.append(speaker)
            spoke[span.close_line] = speaker
        if span.close_line != span.line:
            named, paragraph = ([speaker] if speaker else []), span.close_line
        quotes.append(Quote(text=said, speaker=speaker, lang=lang, key=quote_words(said)))
    return quotes
