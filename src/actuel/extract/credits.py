"""Credit lines in an article's text: the wire agency or outlet a report says it comes from.

"(AFP)", "KALABA, 18 novembre (AHP) -", "selon l'Agence Horizon Presse", "Source : Le Courrier du
Littoral", "with reporting by The Northbridge Herald", "Lire la suite sur Kalaba Matin": the stories
stage uses these to credit the original outlet. Hand-written because no library reads French and
English credit lines; the phrases are data (`TRIGGERS`, `AGENCIES`, `MEDIA_WORDS`) so that adding a
language is adding rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Wire agencies credited by name or acronym in French and English news.
AGENCIES = (
    "AFP",
    "Agence France-Presse",
    "Reuters",
    "AP",
    "Associated Press",
    "dpa",
    "ANSA",
    "EFE",
    "Belga",
    "ATS",
    "Keystone-ATS",
    "Xinhua",
    "Kyodo",
    "Anadolu",
    "Bloomberg",
    "UPI",
    "PA Media",
    "Europa Press",
    "Lusa",
    "APA",
)
# Words that make a capitalised name after "selon" or "according to" an outlet rather than a person.
_MEDIA = (
    "agence agency press presse post times journal courrier herald tribune gazette monde "
    "figaro libération parisien ouest-france echo écho matin soir dépêche info infos média "
    "media magazine quotidien express nouvel observateur news radio tv télévision channel "
    "bbc cnn france-info franceinfo guardian telegraph chronicle daily weekly hebdo"
)
MEDIA_WORDS = frozenset(_MEDIA.split())
# (kind, what the name must be, pattern before the name). kinds: source, according_to, reporting,
# read_more. A name must be: "any" capitalised name or domain, a "media" name (a known outlet or
# agency, a domain, or a name with a word from MEDIA_WORDS), "told": media or an all-capitals
# name (one tells POLITICO or CNN things, while "selon l'INSEE" cites an institute), or "known".
TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("source", "any", r"\b(?:source|sources)\s*:\s*"),
    ("source", "media", r"\bd['’]après\s+"),
    ("according_to", "media", r"\bselon\s+"),
    ("according_to", "media", r"\brapporte\s+"),
    (
        "according_to",
        "told",
        r"\b(?:a|ont)\s+(?:déclaré|indiqué|confié|précisé|expliqué)\s+(?:au|à|aux)\s+",
    ),
    ("according_to", "media", r"\baccording\s+to\s+"),
    ("according_to", "told", r"\b(?:told|reported\s+by)\s+"),
    ("reporting", "media", r"\bwith\s+(?:additional\s+)?reporting\s+(?:by|from)\s+"),
    ("reporting", "known", r"\b(?:avec|with)\s+"),
    ("read_more", "any", r"\blire\s+la\s+suite\s+(?:de\s+l['’]article\s+)?(?:sur|dans)\s+"),
    (
        "read_more",
        "any",
        r"\b(?:read\s+more|continue\s+reading|read\s+the\s+full\s+story)\s+(?:on|at)\s+",
    ),
    ("read_more", "any", r"\bà\s+lire\s+(?:sur|dans)\s+"),
)
_CONNECTORS = frozenset(("de", "du", "des", "la", "le", "les", "of", "the", "and", "&", "et"))
_LEADING_ARTICLES = ("l'", "l’", "le ", "la ", "les ", "the ")
_MAX_NAME_WORDS = 7
_WORD = re.compile(r"[\w'’&.-]+")
_ACRONYM = r"[A-Z][A-Za-z]{1,5}(?:-[A-Z][A-Za-z]{1,5})?"
# "KALABA, 18 novembre (AHP) -", "HANOI, Vietnam (AP) —": a city in capitals opens the line
_DATELINE = re.compile(
    rf"^[A-ZÉÈÀÂÎÔÛÇ][A-ZÉÈÀÂÎÔÛÇ' -]{{2,}}[^.()\n]{{0,50}}\((?P<name>{_ACRONYM})\)\s*[-–—]",
    re.MULTILINE,
)
_TRAILING = re.compile(
    rf"\((?:avec\s+|with\s+)?(?P<name>{_ACRONYM}|agences|agencies)\)\s*\.?\s*$", re.MULTILINE
)
_TRIGGER_RES = tuple((kind, needs, re.compile(p, re.IGNORECASE)) for kind, needs, p in TRIGGERS)
# "nouvelles-dujour.com", "www.exemple.fr": a site named by its domain
_DOMAIN = re.compile(
    r"(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|fr|net|org|info|news|media|tv|eu|be|ch|"
    r"ca|io|co\.uk|uk|de|es|it|cm|ci|sn|ma|dz|tn)\b",
    re.IGNORECASE,
)
_OF_OUTLET = re.compile(r"\s+(?:of|at|from|du|de)\s+(?:the\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Credit:
    """One credit line: who is credited, how, and the words that said so."""

    name: str  # as written, or the known outlet's name when it matched one
    kind: str  # agency, source, according_to, reporting, read_more
    phrase: str  # the matched words, for display and debugging
    outlet: str | None = None  # the known outlet (or agency) it names, if any


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s'’-]+", name) if w[:1].isupper())


class _Names:
    """Known outlets and agencies, looked up by name (any case) and by initials."""

    def __init__(self, outlets: Iterable[str]):
        known = list(dict.fromkeys(outlets))
        self.names = sorted({*known, *AGENCIES}, key=len, reverse=True)
        # the registered outlets first: their initials win over a foreign agency's acronym
        self.by_acronym: dict[str, str] = {}
        for name in known:
            initials = _initials(name)
            if len(initials) >= 2 and " " in name:
                self.by_acronym.setdefault(initials, name)
        for agency in AGENCIES:
            if agency.isupper() or agency == "dpa":
                self.by_acronym.setdefault(agency, agency)

        # "au Courrier du Littoral", "told Meridian Post": names are also written without article
        self.keys: list[tuple[str, str]] = []
        for name in self.names:
            self.keys.append((name.lower(), name))
            for article in _LEADING_ARTICLES:
                if name.lower().startswith(article) and len(name) > len(article) + 2:
                    self.keys.append((name[len(article) :].lower(), name))
        self.keys.sort(key=lambda pair: len(pair[0]), reverse=True)

    def at_start(self, text: str) -> tuple[str, int] | None:
        """The known name `text` starts with (after an optional article) and its length there."""
        lowered = text[:200].lower()
        for prefix in ("", *_LEADING_ARTICLES):
            if prefix and not lowered.startswith(prefix):
                continue
            rest = lowered[len(prefix) :]
            for key, name in self.keys:
                if rest.startswith(key) and not rest[len(key) : len(key) + 1].isalnum():
                    return name, len(prefix) + len(key)
        return None


def _capitalised_name(text: str) -> str | None:
    """The run of capitalised words (with de, du, of, the... between them) that starts `text`."""
    words: list[str] = []
    pending: list[str] = []
    previous_end = 0
    for match in _WORD.finditer(text[:200]):
        if text[previous_end : match.start()].strip():  # punctuation ends the name
            break
        previous_end = match.end()
        word = match.group()
        if word[:2].lower() in ("l'", "l’", "d'", "d’") and word[2:3].isupper():
            word = word[2:]
        ends_sentence = word.endswith(".") and len(word) > 2
        word = word.rstrip(".")
        if word[:1].isupper() or word[:1].isdigit():
            words += [*pending, word]
            pending = []
        elif word.lower() in _CONNECTORS and words:
            pending.append(word)
        elif not words and word.lower() in ("le", "la", "les", "the"):
            continue
        else:
            break
        if len(words) >= _MAX_NAME_WORDS or ends_sentence:
            break
    return " ".join(words) or None


def _looks_like_media(name: str, *, capitals: bool = False) -> bool:
    if _DOMAIN.match(name) or (capitals and name.isupper() and 2 <= len(name) <= 12):
        return True
    return any(w.lower().strip("'’") in MEDIA_WORDS for w in re.split(r"\s+", name))


def _domain(text: str) -> str | None:
    match = _DOMAIN.match(text)
    return match.group().lower() if match else None


def find_credits(text: str, *, outlets: Iterable[str] = ()) -> list[Credit]:
    """Credit lines found in `text`, in order; `outlets` are names we know (the registered sources).

    A name after "selon" or "according to" counts only when it is a known outlet or agency or looks
    like a medium ("… Post", "Agence …"), so that "selon le maire" and "selon Jean Dupont" do not.
    """
    names = _Names(outlets)
    found: list[tuple[int, Credit]] = []
    for regex in (_DATELINE, _TRAILING):
        for match in regex.finditer(text):
            acronym = match.group("name")
            known = names.by_acronym.get(acronym)
            if known or regex is _DATELINE or acronym in ("agences", "agencies"):
                phrase = match.group().strip()
                found.append((match.start(), Credit(known or acronym, "agency", phrase, known)))
    for kind, needs, regex in _TRIGGER_RES:
        for match in regex.finditer(text):
            after = text[match.end() : match.end() + 300]
            hit = names.at_start(after)
            known, length = hit if hit else (None, 0)
            name = known or _domain(after) or _capitalised_name(after)
            if not name or (needs == "known" and not known):
                continue
            if needs in ("media", "told") and not known:
                # "Alex Horton of the Washington Post": the outlet, not the reporter
                outlet_part = _OF_OUTLET.split(name)[-1]
                if not _looks_like_media(outlet_part, capitals=needs == "told"):
                    continue
                name = outlet_part
            length = length or after.find(name.split()[-1]) + len(name.split()[-1])
            phrase = text[match.start() : match.end() + length].strip()
            found.append((match.start(), Credit(known or name, kind, phrase, known)))
    found.sort(key=lambda pair: pair[0])
    credits: list[Credit] = []
    for _, credit in found:
        if not any(c.name == credit.name and c.kind == credit.kind for c in credits):
            credits.append(credit)
    return credits
