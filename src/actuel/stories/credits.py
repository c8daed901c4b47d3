"""Credit lines: which outlets an article names as where its report came from, and which first.

"(AFP)", "KALABA (AHP) -", "selon Reuters", "a déclaré à POLITICO", "told Reuters", "Source : X",
"Lire la suite sur X", "with reporting by X", "cité par X". Hand-written because no library reads
credit lines; the phrases are data (`credit_tables.PATTERNS`, one tuple per language). Every regex
is linear (a trigger, then a bounded look at the words after it), and work per text is capped, so
a 5 MB text costs about as much as reading it once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from actuel.model import Credit
from actuel.stories.credit_tables import (
    ACCORDING_TO,
    ANY,
    CITED_BY,
    CONNECTORS,
    KNOWN,
    LEADING_ARTICLES,
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
_LOOK = 160  # characters read after (or before) a trigger for the name

_WORD = re.compile(r"[^\W_][\w'’&.\-]*")
_DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,3}"
    r"\.(?:[a-z]{2,12}))(?![\w.-]*[\w-])",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,11}")
_ALIAS = re.compile(r"[^\S\n]*\((?P<alias>[A-Z][A-Za-z0-9]{1,6})\)")
_PAREN = re.compile(r"\((?P<avec>(?:avec|with)\s+)?(?P<inner>[^()\n]{1,40})\)")
_PAREN_SPLIT = re.compile(r"\s*(?:/|,|\bet\b|\band\b)\s*")
_DASH_AFTER = re.compile(r"[^\S\n]*[-–—]")
_DASH_CREDIT = re.compile(r"(?:^|(?<=\s))[—–][^\S\n]*(?=\S)", re.MULTILINE)
_WITH_LINE = re.compile(r"^[^\S\n]*(?:avec|with)[^\S\n]+(?=\S)", re.MULTILINE | re.IGNORECASE)
_LINE_END = re.compile(r"[^\S\n]*[.]?[^\S\n]*(?:\n|$)")
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|tr|section|article|header|footer)\b[^<>]{0,300}>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]{0,500}>")
_FIRST_REPORTED = re.compile(
    r"first|premier|d['’]abord|initialement|originally|à l['’]origine", re.IGNORECASE
)
_COMPILED: dict[str, tuple[tuple[CreditPattern, re.Pattern[str]], ...]] = {
    lang: tuple((p, re.compile(p.trigger, re.IGNORECASE)) for p in rows)
    for lang, rows in PATTERNS.items()
}
_ARTICLE_TOKENS = frozenset(("the", "l", "le", "la", "les"))
_WIRE_DISPLAY = {alias.casefold(): row[0] for row in WIRES for alias in row}


@dataclass(frozen=True)
class _Known:
    """Outlets the caller knows plus the wire table, looked up at the start of a name."""

    regex: re.Pattern[str] | None
    display: dict[str, str]  # folded key → display name
    names: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case, no accents, typographic apostrophes straightened: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _strip_article(name: str) -> str:
    lowered = name.lower().replace("’", "'")
    for article in ("the ", "le ", "la ", "les ", "l'"):
        if lowered.startswith(article) and len(name) > len(article) + 1:
            return name[len(article) :].lstrip()
    return name


@lru_cache(maxsize=64)
def _known(known_outlets: tuple[str, ...]) -> _Known:
    display: dict[str, str] = {}
    for name in known_outlets:
        name = name.strip()
        if not name:
            continue
        bare = re.sub(r"\s*\([^()]*\)", "", name).strip()
        for key in (name, bare, _strip_article(bare)):
            display.setdefault(fold(key), name)
        for alias in re.findall(r"\(([^()]{2,12})\)", name):
            display.setdefault(fold(alias), name)
    for row in WIRES:
        for alias in row:
            display.setdefault(fold(alias), row[0])
    keys = sorted((k for k in display if len(k) >= 2), key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    regex = re.compile(rf"(?:{alternation})(?![\w'-])", re.IGNORECASE) if keys else None
    return _Known(regex, display, tuple(n for n in known_outlets if n.strip()))


def _clean(text: str) -> str:
    """The text without HTML leftovers (tags, entities), paragraphs kept as line breaks."""
    if "<" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return text


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
        stop = word != raw and not _DOMAIN.fullmatch(word)
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
        capitalised = word[:1].isupper() or word[:1].isdigit()
        if capitalised or (words and word.lower() in CONNECTORS):
            words.insert(0, word)
        else:
            break
        if len(words) >= MAX_NAME_WORDS:
            break
    while words and words[0] in CONNECTORS:
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
        bool(_ACRONYM.fullmatch(name))
        and len(name) <= longest
        and name not in (NOT_OUTLET_ACRONYMS)
    )


def _looks_like_outlet(name: str, kind: str) -> bool:
    """Cues that a name is a publication: a word like Presse or Post, a domain, an acronym."""
    if fold(name) in _WIRE_DISPLAY or _DOMAIN.fullmatch(name):
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
    if key in known.display:
        return known.display[key]
    if known.names:
        matched = match_outlet(name, known.names)
        if matched:
            return matched
    if _DOMAIN.fullmatch(name):
        return name.lower()
    return name


def _read_after(text: str, start: int, needs: str, kind: str, known: _Known) -> tuple[str, int]:
    """The outlet named from `start` on ("" when none) and the offset where its name ends."""
    segment = text[start : start + _LOOK]
    skip = _skip_article(segment)
    rest = segment[skip:]
    if known.regex is not None:
        hit = known.regex.match(rest)
        if hit and (rest[:1].isupper() or rest[:1].isdigit() or _DOMAIN.fullmatch(hit.group())):
            end = start + skip + hit.end()
            alias = _ALIAS.match(text, end)
            return known.display[fold(hit.group())], alias.end() if alias else end
    domain = _DOMAIN.match(rest)
    if domain:
        return domain.group("domain").lower(), start + skip + domain.end()
    if needs == KNOWN:
        return "", start
    words, ends = _words_after(rest)
    if not words:
        return "", start
    first, last = _trim_person(words)
    words = words[first:last]
    name = " ".join(words)
    end = start + skip + ends[last - 1]
    if needs == OUTLET and not _looks_like_outlet(name, kind):
        return "", start
    if needs == ANY and (words[0].lower() in NOT_OUTLET_WORDS):
        return "", start
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
    return name, max(0, stop - _LOOK) + max(at, 0)


def _paren_credits(text: str, known: _Known) -> Iterable[tuple[int, int, str]]:
    """Wire credits in parentheses: a dateline "(AHP) –", a closing "(AFP)", "(avec Reuters)"."""
    for n, match in enumerate(_PAREN.finditer(text)):
        if n >= MAX_MATCHES_PER_PATTERN * 5:
            break
        dateline = _DASH_AFTER.match(text, match.end()) is not None
        # "… activité ». (AHP)": a closing credit follows the sentence, "(FEK)." ends one
        before = text[max(0, match.start() - 3) : match.start()].rstrip(" \t\u00a0")
        closing = _LINE_END.match(text, match.end()) is not None and (
            not before or before[-1] in '.!?»”"\n…'
        )
        for part in _PAREN_SPLIT.split(match.group("inner").strip()):
            key = fold(part)
            is_known = key in known.display
            if not (dateline or closing or match.group("avec") or is_known):
                continue
            if is_known or (
                (dateline or closing or match.group("avec"))
                and (_is_acronym(part, 6) or part == "dpa")
            ):
                yield match.start(), match.end(), part


def _scan(text: str, known: _Known) -> list[tuple[int, Credit]]:
    found: list[tuple[int, Credit]] = []
    size = max(len(text), 1)

    def add(at: int, end: int, name: str, kind: str, lang: str | None) -> None:
        phrase = " ".join(text[at:end].split())
        found.append((at, Credit(_display(name, known), kind, phrase, lang, round(at / size, 4))))

    for at, end, name in _paren_credits(text, known):
        add(at, end, name, WIRE, None)
    for regex, needs in ((_DASH_CREDIT, OUTLET), (_WITH_LINE, KNOWN)):
        for n, match in enumerate(regex.finditer(text)):
            if n >= MAX_MATCHES_PER_PATTERN:
                break
            name, end = _read_after(text, match.end(), needs, WIRE, known)
            if name and _LINE_END.match(text, end):
                add(match.start(), end, name, WIRE, None)
    for lang, rows in _COMPILED.items():
        for pattern, regex in rows:
            for n, match in enumerate(regex.finditer(text)):
                if n >= MAX_MATCHES_PER_PATTERN:
                    break
                if pattern.before:
                    name, at = _read_before(text, match.start(), pattern.kind, known)
                    if name:
                        add(at, match.end(), name, pattern.kind, lang)
                    continue
                name, end = _read_after(text, match.end(), pattern.needs, pattern.kind, known)
                if name:
                    add(match.start(), end, name, pattern.kind, lang)
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
    `lang` fills in the language of credits that have none of their own ("(AFP)").
    """
    known = _known(tuple(dict.fromkeys(known_outlets)))
    found: list[tuple[int, Credit]] = []
    if title:
        for _, credit in _scan(_clean(title), known):
            credit.position = 0.0
            found.append((-1, credit))
    if text:
        found.extend(_scan(_clean(text), known))
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


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s'’-]+", name) if w[:1].isupper())


def _same_outlet(a: str, b: str) -> bool:
    if fold(a) == fold(b):
        return True
    return match_outlet(a, [b]) is not None


def _credit_score(credit: Credit) -> float:
    score = KIND_WEIGHT.get(credit.kind, 0.5)
    if credit.kind in (SOURCE, ACCORDING_TO) and _FIRST_REPORTED.search(credit.phrase):
        score += FIRST_REPORTED_BONUS
    return score


def credited_outlets(credits: list[Credit]) -> list[str]:
    """Outlets named by `credits`, the one most likely to be the original reporter first.

    A wire dateline, a "Source :", an interview given to an outlet or "selon X" outrank "Lire la
    suite sur X", which names the site the text was copied from, often a copier itself.
    """
    groups: list[tuple[list[str], float, float]] = []  # names, best score, first position
    for credit in credits:
        score = _credit_score(credit)
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


def _tokens(name: str) -> list[str]:
    folded = fold(re.sub(r"\([^()]*\)", " ", name))
    folded = re.sub(r"^(?:https?://)?(?:www\.)?", "", folded)
    return [t for t in re.split(r"[^\w]+", folded) if t and t not in _ARTICLE_TOKENS]


def _domain_stem(name: str) -> str | None:
    match = _DOMAIN.fullmatch(name.strip().rstrip("/"))
    if not match:
        return None
    host = match.group("domain").lower().split(".")
    return re.sub(r"[^a-z0-9]", "", "".join(host[:-1]))


def _match_score(name: str, tokens: list[str], outlet: str) -> float:
    """How surely the credited `name` (its `tokens`) names `outlet`, 0 when it does not."""
    theirs = _tokens(outlet)
    if tokens and theirs == tokens:
        return 1.0
    wire = _WIRE_DISPLAY.get(fold(name))
    if wire and _WIRE_DISPLAY.get(fold(re.sub(r"\s*\([^()]*\)", "", outlet))) == wire:
        return 0.99
    if _ACRONYM.fullmatch(name) or name == "dpa":
        upper = name.upper()
        if upper in re.findall(r"\(([^()]+)\)", outlet.upper()):
            return 0.95
        if upper == _initials(_strip_article(outlet)).upper():
            return 0.9
    stem, their_stem = _domain_stem(name), _domain_stem(outlet)
    joined, their_joined = "".join(tokens), "".join(theirs)
    if (stem and stem in (their_joined, their_stem)) or (their_stem and their_stem == joined):
        return 0.95
    if tokens and set(tokens) <= set(theirs):
        # "Herald" ~ "The Northbridge Herald": the more of their name it covers, the better
        return 0.6 + 0.3 * len(set(tokens)) / max(len(set(theirs)), 1)
    if tokens and theirs:
        ratio = SequenceMatcher(None, " ".join(tokens), " ".join(theirs)).ratio()
        return ratio if ratio >= 0.88 else 0.0
    return 0.0


def match_outlet(credit_name: str, outlet_names: Iterable[str]) -> str | None:
    """The outlet of `outlet_names` that `credit_name` names, or None.

    "Meridian Post" ~ "The Meridian Post", "AHP" ~ "Agence Horizon Presse (AHP)",
    "nouvelles-dujour.com" ~ "Nouvelles du jour"; case and accents do not matter.
    """
    name = credit_name.strip()
    if not name:
        return None
    tokens = _tokens(name)
    best: tuple[float, str] | None = None
    for outlet in dict.fromkeys(outlet_names):
        if not outlet or not outlet.strip():
            continue
        score = _match_score(name, tokens, outlet)
        if score and (best is None or score > best[0]):
            best = (score, outlet)
    return best[1] if best else None
