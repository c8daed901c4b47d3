"""A story's quotes as readers see them: each quote once, with its translations beside it.

The same words carried by several articles are one quote (an excerpt's cut-off copy included). A
quote contained in a longer one of the story (a rewrite quoting the end of a sentence) is that
longer quote. A quote in a translation stands beside the quote it translates: the two articles'
quotes are aligned in text order, a pair matching when their speakers agree (one name may be
shorter: "Ryder", "Ellen Ryder"), their lengths are alike and their figures shared. A fragment
(a quote that starts with a small letter, woven into the reporter's sentence: he would speak
"in the coming days") is never listed alone, only inside the longer quote that holds it.

What makes two quotes one (`quote_key`, `same_quote`) is here too: the enrich stage keys each quote
it extracts with it. Hand-written: it follows our own derivation records and quote keys; no library
pairs quotes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from actuel.model import Quote, QuoteView
from actuel.reading.story import Placed
from actuel.text import unaccent

MIN_QUOTE_WORDS = 4  # shorter quoted runs are scare quotes (« bio », "smart") unless a verb says
MIN_RATIO = 0.4  # a translation's word count against its source's, at least
MAX_RATIO = 2.5  # and at most
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class CarriedQuote:
    """A quote as one article carries it (articles in timeline order, quotes in text order)."""

    article_id: int
    text: str
    speaker: str | None = None
    lang: str | None = None
    outlet: str | None = None


@dataclass
class _Group(QuoteView):
    """The same words, whichever articles carry them: a quote's view, its key, when first seen."""

    key: str = ""
    order: int = 0

    def carry(self, article_id: int, outlet: str | None) -> None:
        if article_id not in self.article_ids:
            self.article_ids.append(article_id)
        if outlet and outlet not in self.outlets:
            self.outlets.append(outlet)


def is_fragment(text: str) -> bool:
    """True for a quote that opens with a small letter: a piece of the reporter's sentence."""
    first = next((c for c in text if c.isalnum()), "")
    return first.isalpha() and first.islower()


def _names(speaker: str | None) -> frozenset[str]:
    if not speaker:
        return frozenset()
    return frozenset(re.findall(r"[^\W\d_]+", unaccent(speaker)))


def _same_person(a: str | None, b: str | None) -> bool:
    """Both named and one name holds the other ("Ryder", "Ellen Ryder")."""
    x, y = _names(a), _names(b)
    return bool(x and y) and (x <= y or y <= x)


def _contains(longer: str, shorter: str) -> bool:
    return len(shorter) < len(longer) and f" {shorter} " in f" {longer} "


def _match_score(a: CarriedQuote, b: CarriedQuote) -> int:
    """How well a quote of a translation matches one of its source: 0 when they cannot be one
    quote, 1 when nothing speaks against it, 2 when the same person is named for both."""
    words_a, words_b = len(a.text.split()), len(b.text.split())
    if not words_a or not words_b or not MIN_RATIO <= words_a / words_b <= MAX_RATIO:
        return 0
    figures_a, figures_b = set(_DIGITS.findall(a.text)), set(_DIGITS.findall(b.text))
    if figures_a and figures_b and not figures_a & figures_b:
        return 0
    if a.speaker and b.speaker:
        return 2 if _same_person(a.speaker, b.speaker) else 0
    return 1


def _align(ours: Sequence[CarriedQuote], theirs: Sequence[CarriedQuote]) -> list[tuple[int, int]]:
    """Pairs (index in ours, index in theirs) in text order with the best total score."""
    n, m = len(ours), len(theirs)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = _match_score(ours[i], theirs[j])
            paired = best[i + 1][j + 1] + score if score else 0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        score = _match_score(ours[i], theirs[j])
        if score and best[i][j] == best[i + 1][j + 1] + score:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


class _Sets:
    """Union-find over group indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _group(quotes: Sequence[CarriedQuote]) -> tuple[list[_Group], list[int]]:
    """The groups of the same words, and each quote's group."""
    groups: list[_Group] = []
    of_quote: list[int] = []
    for quote in quotes:
        as_quote = Quote(quote.text, quote.speaker, quote.lang)
        found = next((n for n, g in enumerate(groups) if same_quote(Quote(g.text), as_quote)), None)
        if found is None:
            found = len(groups)
            key = quote_key(as_quote)
            groups.append(_Group(quote.text, quote.speaker, quote.lang, key=key, order=found))
        group = groups[found]
        if group.speaker is None and quote.speaker:
            group.speaker = quote.speaker
        key = quote_key(as_quote)
        if len(key) > len(group.key) and key.startswith(group.key):
            group.text, group.key = quote.text, key  # the full quote rather than a cut
        group.carry(quote.article_id, quote.outlet)
        of_quote.append(found)
    return groups, of_quote


def _fold_contained(groups: list[_Group], sets: _Sets) -> None:
    """A quote whose words lie inside a longer quote of the story joins it."""
    for n, short in enumerate(groups):
        holders = [
            m
            for m, long in enumerate(groups)
            if m != n
            and _contains(long.key, short.key)
            and (not short.lang or not long.lang or short.lang == long.lang)
        ]
        if not holders:
            continue
        holder = min(
            holders,
            key=lambda m: (
                not (short.speaker is None or _same_person(short.speaker, groups[m].speaker)),
                -len(groups[m].article_ids),
                groups[m].order,
            ),
        )
        target = groups[holder]
        for article_id in short.article_ids:
            target.carry(article_id, None)
        target.outlets += [o for o in short.outlets if o not in target.outlets]
        if target.speaker is None:
            target.speaker = short.speaker
        sets.join(holder, n)
        short.key = ""  # folded: shown inside its holder, never alone


def _translation_depth(article_id: int, members: dict[int, Placed]) -> int:
    """How many translations lie between an article and the report it comes from."""
    depth, seen = 0, {article_id}
    member = members.get(article_id)
    while member is not None and member.derived_from is not None:
        if member.relation == "translation":
            depth += 1
        if member.derived_from in seen:
            break
        seen.add(member.derived_from)
        member = members.get(member.derived_from)
    return depth


def _fullest_name(names: Sequence[str | None], main: str | None) -> str | None:
    """Of the names given one speaker, the fullest that holds the main one."""
    named = [n for n in names if n]
    if main:
        named = [n for n in named if _names(main) <= _names(n)] or [main]
    return max(named, key=lambda n: (len(_names(n)), -named.index(n)), default=None)


def gather_quotes(quotes: Sequence[CarriedQuote], members: Sequence[Placed]) -> list[QuoteView]:
    """The story's quotes, each once with its translations, those carried most first.

    `quotes`: every quote of the story's articles, articles in timeline order, each article's
    quotes in text order. `members`: the story's articles with their derivation, to pair
    the quotes of a translation with those of the article it translates."""
    groups, of_quote = _group(quotes)
    sets = _Sets(len(groups))
    _fold_contained(groups, sets)
    folded = {n for n, g in enumerate(groups) if not g.key}
    by_article: dict[int, list[int]] = {}  # article -> its quotes' indexes, in text order
    for index, quote in enumerate(quotes):
        by_article.setdefault(quote.article_id, []).append(index)
    by_id = {m.article_id: m for m in members}
    for member in members:
        source = member.derived_from
        if member.relation != "translation" or source is None or source not in by_article:
            continue
        ours = by_article.get(member.article_id, [])
        theirs = by_article[source]
        pairs = _align([quotes[i] for i in ours], [quotes[j] for j in theirs])
        for i, j in pairs:
            sets.join(of_quote[ours[i]], of_quote[theirs[j]])
    clusters: dict[int, list[int]] = {}
    for n in range(len(groups)):
        if n not in folded:
            clusters.setdefault(sets.find(n), []).append(n)
    views: list[tuple[int, int, QuoteView]] = []
    for members_of in clusters.values():

        def origin(n: int) -> tuple[int, int]:
            depths = [_translation_depth(a, by_id) for a in groups[n].article_ids]
            return min(depths, default=0), groups[n].order

        members_of.sort(key=origin)
        main = groups[members_of[0]]
        if is_fragment(main.text):
            continue
        speaker = _fullest_name([groups[n].speaker for n in members_of], main.speaker)
        others = sorted(members_of[1:], key=lambda n: (-len(groups[n].article_ids), n))
        view = QuoteView(
            text=main.text,
            speaker=speaker,
            lang=main.lang,
            article_ids=list(main.article_ids),
            outlets=list(main.outlets),
            translations=[
                QuoteView(
                    text=groups[n].text,
                    speaker=speaker,
                    lang=groups[n].lang,
                    article_ids=list(groups[n].article_ids),
                    outlets=list(groups[n].outlets),
                )
                for n in others
            ],
        )
        carried = len({a for n in members_of for a in groups[n].article_ids})
        views.append((carried, main.order, view))
    views.sort(key=lambda item: (-item[0], item[1]))
    result = [view for _, _, view in views]
    _one_name_per_speaker(result)
    return result


def _one_name_per_speaker(views: list[QuoteView]) -> None:
    """A speaker named in full somewhere keeps that name everywhere ("Ryder": "Ellen Ryder")."""
    names = {v.speaker for v in views if v.speaker}
    for view in views:
        if not view.speaker:
            continue
        fuller = [n for n in names if n != view.speaker and _names(view.speaker) < _names(n)]
        if len(fuller) == 1:
            view.speaker = fuller[0]
            for translation in view.translations:
                translation.speaker = fuller[0]


def quote_key(quote: Quote) -> str:
    """A form of the quote's words that copies share: case, accents, punctuation and spacing
    folded ("« Le port, c'est nous ! »" and "le port c’est nous" give the same key)."""
    return quote.key or quote_words(quote.text)


def quote_words(text: str) -> str:
    """The quote's words folded (case, accents, punctuation, spacing): the key its copies share.
    Stored with each quote, so its folding (casefold, every combining mark) stays as it is."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", bare))


def same_quote(a: Quote, b: Quote, *, min_words: int = MIN_QUOTE_WORDS + 1) -> bool:
    """Whether two quotes are the same words, one perhaps cut short: an excerpt that stops
    mid-quote ("Nous ne reprendrons pas le travail…") still carries the quote it cuts."""
    key_a, key_b = quote_key(a), quote_key(b)
    if key_a == key_b:
        return bool(key_a)
    short, long = sorted((key_a, key_b), key=len)
    return len(short.split()) >= min_words and long.startswith(short + " ")
