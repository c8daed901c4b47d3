"""Credit lines: which outlets an article names as where its report came from, and which first.

"(AFP)", "KALABA (AHP) -", "selon Reuters", "a déclaré à POLITICO", "told Reuters", "Source : X",
"Lire la suite sur X", "with reporting by X", "cité par X". Hand-written because no library reads
credit lines; the phrases are data (`credit_tables.PATTERNS`, one tuple per language). Every regex
is linear (a trigger, then a bounded look at the words after it), work per text is capped, and a
text past SCAN_HEAD + SCAN_TAIL characters is read at both ends only, so a 5 MB text costs little.
Outlet names are compared by `outlet_names.match_outlet`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from actuel.model import Credit
from actuel.stories.credit_tables import (
    ACCORDING_TO,
    ANY,
    CITED_BY,
    CONNECTORS,
    KNOWN,
    LEADING_ARTICLES,
    MEDIA_NOUN,
    NOT_OUTLET_ACRONYMS,
    NOT_OUTLET_WORDS,
    OUTLET,
    OUTLET_WORDS,
    PATTERNS,
    READ_MORE,
    REPORTING_BY,
    SOURCE,
    TOLD_TO,
    WIRE,
    WIRES,
    CreditPattern,
)
from actuel.stories.outlet_names import (
    ACRONYM,
    DOMAIN,
    WIRE_DISPLAY,
    fold,
    initials,
    match_outlet,
    strip_article,
)
from actuel.text import strip_markup

__all__ = ["KIND_WEIGHT", "credit_weight", "credited_outlets", "extract_credits", "match_outlet"]

# How much a kind of credit says that the outlet is the original reporter (credited_outlets).
KIND_WEIGHT = {
    WIRE: 1.0,
    SOURCE: 0.95,
    TOLD_TO: 0.9,
    ACCORDING_TO: 0.8,
    REPORTING_BY: 0.7,
    CITED_BY: 0.5,
    READ_MORE: 0.3,
}
FIRST_REPORTED_BONUS = 0.3  # "as first reported by X", "publié d'abord par X"
MAX_MATCHES_PER_PATTERN = 2_000  # a real article has a handful; junk text stops here
MAX_NAME_WORDS = 7
SCAN_HEAD = 200_000  # characters read from the start of a text (a long article is 50,000)
SCAN_TAIL = 20_000  # and from its end, where "Source : X" and "Lire la suite sur X" stand
_LOOK = 160  # characters read after (or before) a trigger for the name

_WORD = re.compile(r"[^\W_][\w'’&.\-]*")
_ALIAS = re.compile(r"[^\S\n]*\((?P<alias>[A-Z][A-Za-z0-9]{1,6})\)")
_PAREN = re.compile(r"\((?P<avec>(?:avec|with)\s+)?(?P<inner>[^()\n]{1,40})\)")
_PAREN_SPLIT = re.compile(r"\s*(?:/|,|\bet\b|\band\b)\s*")
_DASH_AFTER = re.compile(r"[^\S\n]*[-–—]")
_DASH_CREDIT = re.compile(r"(?:^|(?<=\s))[—–][^\S\n]*(?=\S)", re.MULTILINE)
_WITH_LINE = re.compile(r"^[^\S\n]*(?:avec|with)[^\S\n]+(?=\S)", re.MULTILINE | re.IGNORECASE)
_LINE_END = re.compile(r"[^\S\n]*[.]?[^\S\n]*(?:\n|$)")
_FIRST_REPORTED = re.compile(
    r"first|premier|d['’]abord|initialement|originally|à l['’]origine", re.IGNORECASE
)
# Triggers run case-sensitively over a lower-cased copy of the text, their leading \b checked by
# hand: a literal first word lets the regex engine skip ahead, three times faster on long texts.
_LOWER = str.maketrans(
    {c: c.lower() for c in map(chr, range(0x250)) if c.isupper() and len(c.lower()) == 1}
)


def _compiled(pattern: CreditPattern) -> tuple[CreditPattern, re.Pattern[str], bool]:
    """The trigger's regex, and whether its leading \b was taken off to be checked by hand
    (only before a literal word: before a group, \b is what fails fast inside words)."""
    trigger = pattern.trigger
    literal = trigger.startswith(r"\b") and trigger[2:3].isalpha()
    return pattern, re.compile(trigger[2:] if literal else trigger), literal


_COMPILED = {lang: tuple(_compiled(p) for p in rows) for lang, rows in PATTERNS.items()}
_SENTENCE_GAP = re.compile(r"[.!?;]\s|[a-zà-ÿ]{4,}\s+[a-zà-ÿ]{4,}")
_OPENERS = frozenset(("as", "and", "but", "while", "meanwhile", "also", "et", "mais", "comme"))
_ARTICLES = ("the ", "le ", "la ", "l'")
_LOWER_WORD_NEXT = re.compile(r"[^\S\n]+(?!(?:de|du|des|of|the|and|et)\b)[a-zà-ÿ]{2,}")
_NAME_ENDS = re.compile(r"[^\S\n]*(?:[.!…:»”)\]]|$|\n)", re.MULTILINE)
_MEDIA = re.compile(MEDIA_NOUN)  # case matters: the name after it is capitalised
_EXACT_KNOWN = frozenset(alias for row in WIRES for alias in row)  # "dpa" is written lower-case


@dataclass(frozen=True)
class _Known:
    """Outlets the caller knows plus the wire table, looked up at the start of a name."""

    regex: re.Pattern[str] | None
    display: dict[str, str]  # folded key → display name
    names: tuple[str, ...]
    matched: dict[str, str | None] = field(default_factory=dict)  # match_outlet, remembered


@lru_cache(maxsize=64)
def _known(known_outlets: tuple[str, ...]) -> _Known:
    display: dict[str, str] = {}
    for name in known_outlets:
        name = name.strip()
        if not name:
            continue
        bare = re.sub(r"\s*\([^()]*\)", "", name).strip()
        for key in (name, bare, strip_article(bare)):
            display.setdefault(fold(key), name)
        for alias in re.findall(r"\(([^()]{2,12})\)", name):
            display.setdefault(fold(alias), name)
        spelled = initials(strip_article(bare))
        if len(spelled) >= 3:  # "AHP" for "Agence Horizon Presse"
            display.setdefault(fold(spelled), name)
    for row in WIRES:
        for alias in row:
            display.setdefault(fold(alias), row[0])
    keys = sorted((k for k in display if len(k) >= 2), key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    regex = re.compile(rf"(?:{alternation})(?![\w'-])", re.IGNORECASE) if keys else None
    return _Known(regex, display, tuple(n for n in known_outlets if n.strip()))


def _skip_article(segment: str) -> int:
    """Offset past a lower-case article or elision that opens `segment` ("l'AHP", "the Herald")."""
    lowered = segment[:5].replace("’", "'")
    for article in LEADING_ARTICLES:
        if lowered.startswith(article):
            return len(article)
    return 0


def _words_after(segment: str) -> tuple[list[str], list[int]]:
    """The capitalised words (joined by de, du, of, the…) that open `segment`, and their ends."""
    words: list[str] = []
    ends: list[int] = []
    pending: list[tuple[str, int]] = []
    pos = 0
    for match in _WORD.finditer(segment):
        gap = segment[pos : match.start()]
        if gap.strip() or ("\n" in gap and words):
            break
        pos = match.end()
        raw = match.group()
        word = raw.rstrip(".")
        stop = word != raw and not DOMAIN.fullmatch(word)
        end = match.start() + len(word)
        if word[-2:] in ("'s", "’s"):
            word, stop, end = word[:-2], True, end - 2
        if not words and word[:2].lower() in ("l'", "l’", "d'", "d’") and word[2:3].isupper():
            word = word[2:]
        if not word:
            break
        if word[0].isupper() or word[0].isdigit():
            words += [w for w, _ in pending] + [word]
            ends += [e for _, e in pending] + [end]
            pending = []
        elif words and word.lower() in CONNECTORS:
            pending.append((word, end))
        else:
            break
        if stop or len(words) >= MAX_NAME_WORDS:
            break
    return words, ends


def _words_before(window: str) -> list[str]:
    """The capitalised words that end `window` ("… The Meridian Post" before "reported")."""
    found = list(_WORD.finditer(window))
    words: list[str] = []
    pos = len(window)
    for match in reversed(found):
        if window[match.end() : pos].strip():
            break
        pos = match.start()
        word = match.group()
        if word.endswith(".") and words:
            break  # "… Reuters. The Washington Post reports": the previous sentence ends here
        capitalised = word[:1].isupper() or word[:1].isdigit()
        if capitalised or (words and word.lower() in CONNECTORS):
            words.insert(0, word)
        else:
            break
        if len(words) >= MAX_NAME_WORDS:
            break
    while words and (words[0] in CONNECTORS or words[0].lower() in _OPENERS):
        words.pop(0)
    if words and words[0][:2].lower() in ("l'", "l’") and words[0][2:3].isupper():
        words[0] = words[0][2:]
    return words


def _trim_person(words: list[str]) -> tuple[int, int]:
    """The outlet part of a name that runs on into a person's, as a slice of `words`:
    "Meridian Post Ellen Ryder" → "Meridian Post"; "Alex Horton of the Washington Post" →
    "Washington Post"."""
    lowered = [w.lower().strip("'’") for w in words]
    cues = [i for i, w in enumerate(lowered) if w in OUTLET_WORDS]
    first, last = 0, len(words)
    if not cues:
        return first, last
    rest = words[cues[-1] + 1 :]
    if len(rest) >= 2 and rest[0].lower() not in CONNECTORS:
        last = cues[-1] + 1
    for i in range(1, cues[0]):
        if lowered[i] in ("of", "at", "from"):
            first = i + 1
            while first < cues[0] and lowered[first] in CONNECTORS:
                first += 1
            break
    return first, last


def _is_acronym(name: str, longest: int) -> bool:
    return (
        bool(ACRONYM.fullmatch(name)) and len(name) <= longest and name not in NOT_OUTLET_ACRONYMS
    )


def _looks_like_outlet(name: str, kind: str) -> bool:
    """Cues that a name is a publication: a word like Presse or Post, a domain, an acronym."""
    if fold(name) in WIRE_DISPLAY or DOMAIN.fullmatch(name):
        return True
    words = [w.lower().strip("'’") for w in name.split()]
    if not words or words[0] in NOT_OUTLET_WORDS:
        return False
    if any(w in OUTLET_WORDS for w in words):
        return True
    # people are rarely written in capitals; "a déclaré à POLITICO" names a publication
    longest = 12 if kind in (TOLD_TO, CITED_BY, READ_MORE, SOURCE) else 6
    return len(words) == 1 and _is_acronym(name, longest)


def _display(name: str, known: _Known) -> str:
    """The name as the caller knows it, the wire's usual name, or as written."""
    key = fold(name)
    for candidate in (key, fold(strip_article(name))):
        if candidate in known.display:  # "The Associated Press" is the AP
            return known.display[candidate]
    if known.names:
        if key not in known.matched:
            known.matched[key] = match_outlet(name, known.names)
        matched = known.matched[key]
        if matched:
            return matched
    if DOMAIN.fullmatch(name):
        return name.lower()
    return name


def _read_after(text: str, start: int, needs: str, kind: str, known: _Known) -> tuple[str, int]:
    """The outlet named from `start` on ("" when none) and the offset where its name ends."""
    base = start + _skip_article(text[start : start + 5])
    media = _MEDIA.match(text, base, base + _LOOK)
    if media:  # "l'agence Reuters", "the newspaper The Guardian": the noun says it
        base = media.end() + _skip_article(text[media.end() : media.end() + 5])
        needs = ANY if needs != KNOWN else KNOWN
    rest = text[base : base + _LOOK]
    if known.regex is not None:
        hit = known.regex.match(rest)
        if hit and (rest[:1].isupper() or rest[:1].isdigit() or hit.group() in _EXACT_KNOWN):
            end = base + hit.end()
            alias = _ALIAS.match(text, end)
            return known.display[fold(hit.group())], alias.end() if alias else end
    domain = DOMAIN.match(rest)
    if domain:
        return domain.group("domain").lower(), base + domain.end()
    if needs == KNOWN:
        return "", start
    words, ends = _words_after(rest)
    if not words:
        return "", start
    first, last = _trim_person(words)
    words = words[first:last]
    name = " ".join(words)
    end = base + ends[last - 1]
    if needs == OUTLET and not _looks_like_outlet(name, kind):
        return "", start
    if kind == ACCORDING_TO and not media and base > start and _is_acronym(name, 12):
        return "", start  # "according to the EPA", "selon l'OMS": an institution, not an outlet
    if needs == ANY and (
        words[0].lower() in NOT_OUTLET_WORDS
        or (len(words) == 1 and _LOWER_WORD_NEXT.match(text, end))  # "the Russian page of"
    ):
        return "", start
    if kind == READ_MORE and not _NAME_ENDS.match(text, end):
        return "", start  # "Read more on the Detroit Lions and sign up": a topic, not a site
    alias = _ALIAS.match(text, end)
    return name, alias.end() if alias else end


def _read_before(text: str, stop: int, kind: str, known: _Known) -> tuple[str, int]:
    """The outlet named just before `stop` ("Reuters reported") and where its name starts."""
    window = text[max(0, stop - _LOOK) : stop]
    words = _words_before(window)
    if not words:
        return "", stop
    first, last = _trim_person(words)
    name = " ".join(words[first:last])
    if fold(name) not in known.display and not _looks_like_outlet(name, kind):
        return "", stop
    at = window.rfind(words[0])
    article = window[max(0, at - 4) : at].lower().replace("’", "'")
    if fold(name) not in known.display and _is_acronym(name, 12) and article.endswith(_ARTICLES):
        return "", stop  # "the CCC reported deaths": an institution
    return name, max(0, stop - _LOOK) + max(at, 0)


def _opens_line(text: str, at: int) -> bool:
    """Whether only a dateline ("KALABA, 18 novembre 2026 ") stands before `at` on its line."""
    line_start = text.rfind("\n", 0, at) + 1
    prefix = text[line_start:at]
    return len(prefix) <= 80 and not _SENTENCE_GAP.search(prefix)


def _names_before(text: str, at: int, acronym: str) -> bool:
    """Whether `acronym` spells the words just before it: "Forces de mobilisation (FM)"."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[max(0, at - 80) : at])
    initials = iter("".join(w[0] for w in words[-len(acronym) - 3 :] if w[0].isupper()).upper())
    return len(acronym) >= 2 and all(letter in initials for letter in acronym.upper())


def _paren_credits(text: str, known: _Known) -> Iterable[tuple[int, int, str]]:
    """Wire credits in parentheses: a dateline "(AHP) –", a closing "(AFP)", "(avec Reuters)".

    A photo credit ("(Jean Dupont/AFP)", "(Photo AFP)") or an acronym spelling the words before
    it ("Forces de mobilisation populaire (FMP) -") is not one.
    """
    for n, match in enumerate(_PAREN.finditer(text)):
        if n >= MAX_MATCHES_PER_PATTERN * 5:
            break
        dateline = _DASH_AFTER.match(text, match.end()) is not None and _opens_line(
            text, match.start()
        )
        # "… activité ». (AHP)": a closing credit follows the sentence, "(FEK)." ends one
        before = text[max(0, match.start() - 3) : match.start()].rstrip(" \t\u00a0")
        closing = _LINE_END.match(text, match.end()) is not None and (
            not before or before[-1] in '.!?»”"\n…'
        )
        placed = dateline or closing or match.group("avec") is not None
        parts = _PAREN_SPLIT.split(match.group("inner").strip())
        wire_like = [fold(p) in known.display or _is_acronym(p, 6) or p == "dpa" for p in parts]
        if not all(wire_like):
            continue
        for part in parts:
            spelled = placed and _names_before(text, match.start(), part)
            if fold(part) in known.display or (placed and not spelled):
                yield match.start(), match.end(), part


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _scan(text: str, known: _Known, *, offset: int = 0, size: int = 0) -> list[tuple[int, Credit]]:
    """Credits in `text`, a part of a longer text of `size` characters that starts at `offset`."""
    found: list[tuple[int, Credit]] = []
    size = max(size or len(text), 1)

    def add(at: int, end: int, name: str, kind: str, lang: str | None) -> None:
        phrase = " ".join(text[at:end].split())
        where = round(min((offset + at) / size, 1.0), 4)
        found.append((offset + at, Credit(_display(name, known), kind, phrase, lang, where)))

    for at, end, name in _paren_credits(text, known):
        add(at, end, name, WIRE, None)
    for regex, needs in ((_DASH_CREDIT, OUTLET), (_WITH_LINE, KNOWN)):
        for n, match in enumerate(regex.finditer(text)):
            if n >= MAX_MATCHES_PER_PATTERN:
                break
            name, end = _read_after(text, match.end(), needs, WIRE, known)
            if name and _LINE_END.match(text, end):
                add(match.start(), end, name, WIRE, None)
    lowered = text.translate(_LOWER)
    for lang, rows in _COMPILED.items():
        for pattern, regex, boundary in rows:
            for n, match in enumerate(regex.finditer(lowered)):
                if n >= MAX_MATCHES_PER_PATTERN:
                    break
                if boundary and match.start() and _is_word_char(lowered[match.start() - 1]):
                    continue
                if pattern.before:
                    name, at = _read_before(text, match.start(), pattern.kind, known)
                    if name:
                        add(at, match.end(), name, pattern.kind, lang or None)
                    continue
                name, end = _read_after(text, match.end(), pattern.needs, pattern.kind, known)
                if name:
                    add(match.start(), end, name, pattern.kind, lang or None)
    return found


def extract_credits(
    text: str,
    *,
    lang: str | None = None,
    title: str | None = None,
    known_outlets: Iterable[str] = (),
) -> list[Credit]:
    """Credit lines in `text` (and `title`), in text order, each outlet and kind once.

    `known_outlets` (the registered sources' names) raises recall: a known name counts after
    "selon" or "told" even without an outlet-like word, and is given back as the caller spells it.
    Every language's phrases are looked for, whatever `lang` says (tags are often wrong, and a
    machine translation keeps phrases of its source); `lang` is given to the credits whose words
    belong to no one language ("(AFP)", "Source : X").
    """
    known = _known(tuple(dict.fromkeys(known_outlets)))
    found: list[tuple[int, Credit]] = []
    if title:
        for _, credit in _scan(strip_markup(title), known):
            credit.position = 0.0
            found.append((-1, credit))
    if text:
        text = strip_markup(text)
        if len(text) <= SCAN_HEAD + SCAN_TAIL:
            found.extend(_scan(text, known))
        else:  # credit lines open or close an article; the middle of a 5 MB text adds none
            tail = len(text) - SCAN_TAIL
            found.extend(_scan(text[:SCAN_HEAD], known, size=len(text)))
            found.extend(_scan(text[tail:], known, offset=tail, size=len(text)))
    found.sort(key=lambda pair: pair[0])
    credits: list[Credit] = []
    seen: set[tuple[str, str]] = set()
    for _, credit in found:
        key = (fold(credit.outlet), credit.kind)
        if key in seen:
            continue
        seen.add(key)
        credit.lang = credit.lang or lang
        credits.append(credit)
    return credits


def _same_outlet(a: str, b: str) -> bool:
    if fold(a) == fold(b):
        return True
    return match_outlet(a, [b]) is not None or match_outlet(b, [a]) is not None


def credit_weight(credit: Credit) -> float:
    """How strongly `credit` says its outlet reported first (read_more 0.3 … wire 1.0)."""
    score = KIND_WEIGHT.get(credit.kind, 0.5)
    if credit.kind in (SOURCE, ACCORDING_TO) and _FIRST_REPORTED.search(credit.phrase):
        score += FIRST_REPORTED_BONUS
    return score


def credited_outlets(credits: list[Credit], *, exclude: Iterable[str] = ()) -> list[str]:
    """Outlets named by `credits`, the one most likely to be the original reporter first.

    A wire dateline, a "Source :", an interview given to an outlet or "selon X" outrank "Lire la
    suite sur X", which names the site the text was copied from, often a copier itself.
    `exclude`: outlets left out, such as the article's own ("(AHP)" on AHP's own dispatch).
    """
    excluded = [name for name in exclude if name and name.strip()]
    groups: list[tuple[list[str], float, float]] = []  # names, best score, first position
    for credit in credits:
        if excluded and any(_same_outlet(credit.outlet, name) for name in excluded):
            continue
        score = credit_weight(credit)
        for i, (names, best, first) in enumerate(groups):
            if any(_same_outlet(credit.outlet, name) for name in names):
                bonus = 0.05 if credit.outlet not in names else 0.02
                groups[i] = (
                    [*names, credit.outlet],
                    max(best, score) + bonus,
                    min(first, credit.position),
                )
                break
        else:
            groups.append(([credit.outlet], score, credit.position))
    groups.sort(key=lambda g: (-g[1], g[2]))
    # a full name reads better than its acronym ("Agence Horizon Presse" over "AHP")
    return [max(names, key=lambda n: (" " in n, len(n))) for names, _, _ in groups]
