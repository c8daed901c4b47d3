"""Whether two spellings name the same outlet: "Meridian Post" ~ "The Meridian Post", "AHP" ~
"Agence Horizon Presse (AHP)", "nouvelles-dujour.com" ~ "Nouvelles du Jour".

Hand-written with the standard library (difflib for near-misses): names of outlets are short,
and the rules (articles, acronyms, domains) are specific to them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from actuel.stories.credit_tables import WIRES
from actuel.text import fold as fold_words

DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,3}"
    r"\.(?:[a-z]{2,12}))(?![\w.-]*[\w-])",
    re.IGNORECASE,
)
ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,11}")
WIRE_DISPLAY = {alias.casefold(): row[0] for row in WIRES for alias in row}
_ARTICLE_TOKENS = frozenset(("the", "l", "le", "la", "les"))


def fold(text: str) -> str:
    """Lower case, no accents, typographic apostrophes straightened: for comparing names."""
    return fold_words(text.replace("’", "'"))


def strip_article(name: str) -> str:
    """The name without its leading article: "The Meridian Post" → "Meridian Post"."""
    lowered = name.lower().replace("’", "'")
    for article in ("the ", "le ", "la ", "les ", "l'"):
        if lowered.startswith(article) and len(name) > len(article) + 1:
            return name[len(article) :].lstrip()
    return name


def initials(name: str) -> str:
    """The capitals that open its words: "Agence Horizon Presse" → "AHP"."""
    return "".join(w[0] for w in re.split(r"[\s'’-]+", name) if w[:1].isupper())


def _tokens(name: str) -> list[str]:
    folded = fold(re.sub(r"\([^()]*\)", " ", name))
    folded = re.sub(r"^(?:https?://)?(?:www\.)?", "", folded)
    return [t for t in re.split(r"[^\w]+", folded) if t and t not in _ARTICLE_TOKENS]


def _domain_stem(name: str) -> str | None:
    match = DOMAIN.fullmatch(name.strip().rstrip("/"))
    if not match:
        return None
    host = match.group("domain").lower().split(".")
    return re.sub(r"[^a-z0-9]", "", "".join(host[:-1]))


def _match_score(name: str, tokens: list[str], outlet: str) -> float:
    """How surely the credited `name` (its `tokens`) names `outlet`, 0 when it does not."""
    theirs = _tokens(outlet)
    if tokens and theirs == tokens:
        return 1.0
    wire = WIRE_DISPLAY.get(fold(name))
    if wire and WIRE_DISPLAY.get(fold(re.sub(r"\s*\([^()]*\)", "", outlet))) == wire:
        return 0.99
    if ACRONYM.fullmatch(name) or name == "dpa":
        upper = name.upper()
        if upper in re.findall(r"\(([^()]+)\)", outlet.upper()):
            return 0.95
        if upper == initials(strip_article(outlet)).upper():
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
    return _match_outlet(credit_name.strip(), tuple(dict.fromkeys(outlet_names)))


@functools.lru_cache(maxsize=65_536)
def _match_outlet(name: str, outlet_names: tuple[str, ...]) -> str | None:
    # cached: a story's provenance asks the same (credit, outlets) question for every member
    if not name:
        return None
    tokens = _tokens(name)
    best: tuple[float, str] | None = None
    for outlet in outlet_names:
        if not outlet or not outlet.strip():
            continue
        score = _match_score(name, tokens, outlet)
        if score and (best is None or score > best[0]):
            best = (score, outlet)
    return best[1] if best else None
