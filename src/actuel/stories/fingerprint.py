"""What the stories stage keeps of an article: shingles, MinHash, names, numbers, lead, headline."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

import numpy as np
import py3langid
from rensa import RMinHash

from actuel.model import StoryDoc
from actuel.stories import text
from actuel.stories.encoder import Encoder

NUM_PERM = 128
MINHASH_SEED = 42
# 1,000 characters of title and lead. The encoder's cost grows with the length (11 ms of CPU for
# 1,000 characters, 7 for 600), but shorter leads lose quality (bench/stories.py, SemEval held-out
# Pearson; WMT fr-de share of translations reported as such): 1,000 give 0.756 and 0.989, 700 give
# 0.756 and 0.969 and split one independent report off its demo story, 600 give 0.751 and 0.960,
# 500 give 0.752 and 0.928
LEAD_CHARS = 1000
# the headline the encoder reads besides the lead (the title, or lacking one the first sentence):
# 80 characters cost 8-10% of a lead's encoding; set against the other article's lead, it tells a
# lead spoiled by a cookie wall or a menu (SemEval held-out Pearson 0.761 -> 0.783; 120 or 200
# characters do no better)
TITLE_CHARS = 80
# character 4-grams of the first 3,000 characters: cognates and names across close languages
# (de-en, es-it) that word triples miss; +0.036 Pearson on SemEval without the encoder
CHAR_GRAM = 4
CHAR_GRAM_CHARS = 3000
LANG_SAMPLE = 600  # characters read to guess a missing language: cost grows with the length
# word triples a copy shares with its source (of all either has) for it to take the source's
# embedding: a copy in another template shares nearly all; a rewrite or an excerpt, far fewer
TWIN_JACCARD = 0.9
HEADLINE_WORDS = 30  # a first sentence standing in for a missing title: its first words
SHINGLE = 3  # words per shingle: 3 keeps rewrites apart from copies, 4 misses short excerpts
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
# marks a cut-off text: "…", "[…]", "(...)", "Lire la suite", "Read more"
_CUT = re.compile(
    r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|\(…\)|lire la suite|la suite sur|read more|continue reading"
    r"|weiterlesen|leer m[aá]s|leggi tutto)\W{0,40}$",
    re.IGNORECASE,
)
_SENTENCE_MARK = re.compile(r"[.!?…。！？](?=\s|$)")
_LEFTOVER = re.compile(r"\[…\]|\[\.\.\.\]|\(…\)|\(\.\.\.\)")
# credit lines: "Source : X", "Lire la suite sur X", "(AFP)" name where a text came from...
_SOURCE_LINE = re.compile(
    r"\bsource\s?:|\bwith reporting by\b|\blire la suite\b|\bread more\b|\bla suite sur\b"
    r"|\((?:AFP|AP|Reuters|dpa|ANSA|EFE)\)",
    re.IGNORECASE,
)
# ...while "selon X", "according to X" may name a witness as well as an outlet
_ATTRIBUTION = re.compile(
    r"\bselon (?:l['’]|le |la |les )?[A-Z]|\baccording to\b|\brapporte (?:l['’]|le |la )?[A-Z]"
)


@dataclass(frozen=True)
class Fingerprint:
    """One article reduced to what same-story decisions need; cheap to compare, no text kept."""

    doc_id: str
    lang: str | None
    shingles: frozenset[int]  # hashed word 3-grams, the set
    shingle_seq: np.ndarray = field(repr=False, compare=False)  # the same hashes in text order
    minhash: RMinHash = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()  # name words, folded
    name_order: tuple[str, ...] = ()  # first occurrence of each name word, in reading order
    numbers: frozenset[str] = frozenset()
    number_order: tuple[str, ...] = ()
    quotes: frozenset[int] = frozenset()  # hashed word 3-grams inside direct quotes
    words: frozenset[str] = frozenset()  # folded words of 4+ letters: vocabulary overlap
    char_grams: np.ndarray = field(  # sorted hashes of character 4-grams of the opening
        default_factory=lambda: np.zeros(0, dtype=np.uint64), repr=False, compare=False
    )
    first_sentences: tuple[str, ...] = ()
    sentence_count: int = 0
    title: str = ""
    length: int = 0  # tokens
    chars: int = 0
    published_at: datetime | None = None
    cut_off: bool = False  # ends with "…", "Lire la suite": an excerpt's mark
    leftovers: int = 0  # "[…]" and the like: an edited copy's mark
    credit_lines: int = 0  # "Source : X", "selon X", "(AFP)": a derived article's mark
    source_lines: int = 0  # of which "Source : X", "Lire la suite", "(AFP)": the strong kind
    embedding: np.ndarray | None = field(default=None, repr=False, compare=False)
    # the shingle hashes sorted and distinct: pair features look them up by binary search
    title_words: frozenset[str] = frozenset()  # folded words of the title
    shingle_sorted: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=np.uint64), repr=False, compare=False
    )
    # the embedding of the headline alone (`title_text`); None without an encoder or a headline
    title_embedding: np.ndarray | None = field(default=None, repr=False, compare=False)
    # what a story profile counts (stories/profile.py): words of 3+ letters of title and text,
    # those of the headline (the title, else the first sentence), names mentioned twice or more
    terms: frozenset[str] = frozenset()
    headline_terms: frozenset[str] = frozenset()
    key_names: frozenset[str] = frozenset()


@lru_cache(maxsize=200_000)
def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


def shingle_hashes(words: Sequence[str], size: int = SHINGLE) -> np.ndarray:
    """Stable 64-bit hashes of consecutive word n-grams (the same in every process)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((_token_hash(w) for w in words), dtype=np.uint64, count=len(words))
    if len(ids) < size:
        size = len(ids)
    n = len(ids) - size + 1
    out = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        out = (out ^ (ids[k : k + n] * _MIX[k % 3])) * _MIX[(k + 1) % 3]
    return out


def char_gram_hashes(words: Sequence[str], size: int = CHAR_GRAM) -> np.ndarray:
    """Sorted distinct hashes of character n-grams of the words joined by spaces."""
    joined = " ".join(words)[:CHAR_GRAM_CHARS]
    if len(joined) < size:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(points) - size + 1
    out = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        out = (out ^ points[k : k + n]) * _MIX[k % 3]
    return np.unique(out)


def detect_lang(doc: StoryDoc) -> str | None:
    """The document's language tag, or a guess from its title and first 600 characters."""
    if doc.lang:
        return doc.lang.split("-")[0].split("_")[0].lower() or None
    sample = f"{doc.title}\n{doc.text[:LANG_SAMPLE]}".strip()
    if len(sample) < 20:
        return None
    code, _ = py3langid.classify(sample)
    return str(code)


def _first_seen(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def fingerprint(doc: StoryDoc, *, encoder: Encoder | None = None) -> Fingerprint:
    """Fingerprint one article; with an encoder, embed its title and lead as well."""
    return fingerprint_many([doc], encoder=encoder)[0]


def fingerprint_many(
    docs: Sequence[StoryDoc], *, encoder: Encoder | None = None
) -> list[Fingerprint]:
    """Fingerprint many articles, embedding their leads and headlines in batches when an encoder
    is given."""
    prints = [_fingerprint(doc) for doc in docs]
    if encoder is None or not prints:
        return prints
    leads = [embedding_text(doc) for doc in docs]
    heads = [title_text(doc) for doc in docs]
    wanted = [i for i, lead in enumerate(leads) if lead.strip()]
    titles = list(dict.fromkeys(heads[i] for i in wanted if heads[i]))
    matrix = encoder.encode([leads[i] for i in wanted] + titles)
    title_rows = dict(zip(titles, matrix[len(wanted) :], strict=True))
    out = list(prints)
    for row, i in enumerate(wanted):
        out[i] = _with_embedding(prints[i], matrix[row], title_rows.get(heads[i]))
    return out


def embed_prints(
    docs: Sequence[StoryDoc],
    prints: Sequence[Fingerprint],
    encoder: Encoder,
    twin_of: Callable[[StoryDoc, Fingerprint], Fingerprint | None] = lambda doc, fp: None,
) -> list[Fingerprint]:
    """Embed the leads (and headlines) of fingerprints made without an encoder, in one batch.

    A near-copy takes the embedding of its twin instead of being encoded again: an article
    embedded before (`twin_of` finds it) or one earlier in this batch. The encoder is most of the
    stories stage's cost, and copies of one wire report are the commonest article of all. Each
    distinct headline is encoded once; a twin under the same headline takes its twin's.
    """
    out = list(prints)
    leads = [embedding_text(doc) for doc in docs]
    heads = [title_text(doc) for doc in docs]
    todo: list[int] = []
    borrowed: dict[int, int] = {}
    known: dict[str, np.ndarray | None] = {}  # headline -> its embedding, None until encoded
    for i, (doc, fp) in enumerate(zip(docs, prints, strict=True)):
        if not leads[i].strip():
            continue
        before = twin_of(doc, fp)
        if before is not None and before.embedding is not None:
            out[i] = _with_embedding(fp, before.embedding)
            if before.title_embedding is not None and fp.title and before.title == fp.title:
                known[heads[i]] = before.title_embedding
        else:
            twin = next((j for j in todo if twins(prints[j], fp)), None)
            if twin is None:
                todo.append(i)
            else:
                borrowed[i] = twin
        if heads[i]:
            known.setdefault(heads[i], None)
    # headlines are encoded here, in the caller's thread: handed to the encoder's background
    # threads they would wait behind the next batch's leads, which the clusterer has them embed
    titles = [head for head, row in known.items() if row is None]
    if todo or titles:
        matrix = encoder.encode([leads[i] for i in todo] + titles)
        for row, i in enumerate(todo):
            out[i] = _with_embedding(prints[i], matrix[row])
        known.update(zip(titles, matrix[len(todo) :], strict=True))
    for i, j in borrowed.items():
        out[i] = replace(prints[i], embedding=out[j].embedding)
    for i, fp in enumerate(out):
        if fp.embedding is not None and heads[i]:
            out[i] = replace(fp, title_embedding=known.get(heads[i]))
    return out


def twins(a: Fingerprint, b: Fingerprint) -> bool:
    """Near-copies: one language, and word triples alike at TWIN_JACCARD or more."""
    if a.lang != b.lang or not a.shingles or not b.shingles:
        return False
    small, large = sorted((len(a.shingles), len(b.shingles)))
    if small < TWIN_JACCARD * large:  # the Jaccard index cannot reach the bar
        return False
    shared = len(a.shingles & b.shingles)
    return shared >= TWIN_JACCARD * (len(a.shingles) + len(b.shingles) - shared)


def embedding_text(doc: StoryDoc) -> str:
    """What the encoder reads: the title and the first sentences, up to LEAD_CHARS."""
    return text.lead(
        doc.title or "", (doc.text or "")[: LEAD_CHARS * 4], count=12, max_chars=LEAD_CHARS
    )


def title_text(doc: StoryDoc) -> str:
    """The headline the encoder reads on its own: the title, or lacking one the first sentence,
    cut at TITLE_CHARS."""
    head = (doc.title or "").strip() or text.lead(
        "", (doc.text or "")[: TITLE_CHARS * 4], count=1, max_chars=TITLE_CHARS
    )
    return head[:TITLE_CHARS].strip()


def _with_embedding(
    print_: Fingerprint, row: np.ndarray, title_row: np.ndarray | None = None
) -> Fingerprint:
    return replace(print_, embedding=row, title_embedding=title_row)


def _fingerprint(doc: StoryDoc) -> Fingerprint:
    title = (doc.title or "").strip()
    body = text.clip(doc.text or "")
    full = f"{title}\n{body}" if title else body
    words = text.tokens(body) or text.tokens(title)
    seq = shingle_hashes(words)
    minhash = RMinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    distinct = np.unique(seq)
    if len(distinct):
        minhash.update([str(h) for h in distinct.tolist()])
    found_names = text.name_words(text.names(full))
    title_tokens = text.tokens(title)
    headline = title_tokens or text.tokens(" ".join(text.sentences(body[:600])[:1]))
    found_numbers = text.numbers(full)
    quote_hashes: set[int] = set()
    for quote in text.quotes(body):
        quote_hashes.update(shingle_hashes(text.tokens(quote)).tolist())
    tail = body[-200:].rstrip()
    edges = body[:400] + "\n" + body[-400:]  # where credit lines sit
    return Fingerprint(
        doc_id=doc.id,
        lang=detect_lang(doc),
        shingles=frozenset(seq.tolist()),
        shingle_seq=seq,
        shingle_sorted=distinct,
        title_words=frozenset(title_tokens),
        minhash=minhash,
        names=frozenset(found_names),
        name_order=_first_seen(found_names),
        numbers=frozenset(found_numbers),
        number_order=_first_seen(found_numbers),
        quotes=frozenset(quote_hashes),
        words=frozenset(w for w in words if len(w) > 3 or not w.isascii()),
        char_grams=char_gram_hashes([w for w in title_tokens + words[:800] if len(w) > 3]),
        first_sentences=tuple(text.sentences(body[:1500])[:3]),
        sentence_count=len(_SENTENCE_MARK.findall(body)) + 1 if body.strip() else 0,
        title=title,
        length=len(words),
        chars=len(body),
        published_at=doc.published_at,
        cut_off=bool(_CUT.search(tail)),
        leftovers=len(_LEFTOVER.findall(body)),
        credit_lines=len(_SOURCE_LINE.findall(edges)) + len(_ATTRIBUTION.findall(edges)),
        source_lines=len(_SOURCE_LINE.findall(edges)),
        terms=_terms(title_tokens + words),
        headline_terms=_terms(headline[:HEADLINE_WORDS]),
        key_names=frozenset(n for n, c in Counter(found_names).items() if c >= 2),
    )


def _terms(words: Sequence[str]) -> frozenset[str]:
    """Words that can tell stories apart: three letters or more, not bare figures."""
    return frozenset(w for w in words if len(w) > 2 and not w.isdigit())
