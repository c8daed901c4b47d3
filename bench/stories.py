"""Pairwise story relations: quality on SemEval-2022 task 8, WMT21 fr-de, the demo corpus; speed.

    python bench/stories.py [--no-encoder] [--only semeval,wmt,demo,speed] [--fit]

Each figure is printed beside an anchor measured in the same run: a character n-gram TF-IDF cosine
(scikit-learn) for quality, datasketch MinHash over the same shingles for speed.
`--fit` refits the same-story weights on all SemEval pairs (the lexical ones on the demo corpus's
pairs too, see LEXICAL_DEMO_WEIGHT) and prints the constants for src/actuel/stories/relate.py.
Held-out figures refit that recipe three ways: 5 folds that never split pairs linked by an article
or its machine translation; each language left out in turn (its pairs scored by weights fitted
without it); and every pair scored by weights fitted on pairs in none of its languages ("unseen",
what a test set in other languages asks). Pearson comes with a 95% interval from resampling those
groups, F1 with its spread across folds. With the encoder installed, the demo and SemEval sections
run with and without it, and a table compares the two calibrations.
Clustering and throughput are in bench/stories_throughput.py.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from actuel.model import RelationKind, StoryDoc
from actuel.stories import relate as rel
from actuel.stories.encoder import CachedEncoder, Encoder, USEEncoder, default_encoder
from actuel.stories.features import pair_features
from actuel.stories.fingerprint import (
    embedding_text,
    fingerprint_many,
    shingle_hashes,
    title_text,
)
from actuel.stories.text import tokens

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FOLDS = 5
BOOTSTRAP = 1000  # resamples for the intervals
SAME, UNRELATED = 1.5, 3.5  # SemEval "Overall": same story at or below, unrelated at or above


@dataclass
class Pair:
    id: str
    langs: str
    a: StoryDoc
    b: StoryDoc
    overall: float


def split_title(text: str) -> tuple[str, str]:
    """SemEval texts are "title  body" on one line: split at the first double space, if early."""
    text = text.strip()
    cut = text.find("  ")
    if 0 < cut < 300:
        return text[:cut], text[cut:].strip()
    return "", text


def load_semeval(corpora: Path = CORPORA) -> list[Pair]:
    csv.field_size_limit(sys.maxsize)
    path = corpora / "semeval2022t8-train" / "training_set.csv"
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            id_a, id_b = row["pair_id"].split("_")
            docs = []
            for side, doc_id in (("1", id_a), ("2", id_b)):
                title, body = split_title(row[f"text{side}"])
                docs.append(StoryDoc(id=doc_id, title=title, text=body, lang=row[f"lang{side}"]))
            langs = f"{row['lang1']}-{row['lang2']}"
            pairs.append(Pair(row["pair_id"], langs, docs[0], docs[1], float(row["Overall"])))
    return pairs


def load_wmt(corpora: Path = CORPORA) -> tuple[list[StoryDoc], list[tuple[StoryDoc, str, str]]]:
    """French originals, and (German translation, its original's id, "human" | system name)."""
    root = ET.parse(corpora / "wmt21-fr-de" / "newstest2021.fr-de.all.xml").getroot()

    def text(el: ET.Element) -> str:
        return "\n".join(s.text or "" for s in el.iter("seg"))

    originals, translations = [], []
    for doc in root.iter("doc"):
        doc_id = doc.get("id", "")
        src = doc.find("src")
        if src is None:
            continue
        body = text(src)
        title, _, rest = body.partition("\n")
        originals.append(StoryDoc(id=doc_id, title=title, text=rest, lang="fr"))
        for el in list(doc.iter("ref")) + list(doc.iter("hyp")):
            t_title, _, t_rest = text(el).partition("\n")
            system = el.get("system", "human") if el.tag == "hyp" else "human"
            tid = f"{doc_id}/{el.tag}/{system}"
            translations.append(
                (StoryDoc(id=tid, title=t_title, text=t_rest, lang="de"), doc_id, system)
            )
    return originals, translations


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def f1_same(scores: np.ndarray, overall: np.ndarray, threshold: float) -> tuple[float, int]:
    """F1 of "same story" (Overall ≤ 1.5) against "unrelated" (Overall ≥ 3.5), and pairs counted."""
    keep = (overall <= SAME) | (overall >= UNRELATED)
    truth, guess = overall[keep] <= SAME, scores[keep] >= threshold
    tp = int((truth & guess).sum())
    fp, fn = int((~truth & guess).sum()), int((truth & ~guess).sum())
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), int(keep.sum())


def best_f1(scores: np.ndarray, overall: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.unique(np.round(scores, 3)):
        best = max(best, (f1_same(scores, overall, float(t))[0], float(t)))
    return best


def tfidf_cosines(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The anchor: character 3–5-gram TF-IDF cosine, fitted on all the texts of the run."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for pair in pairs for t in pair]
    matrix = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
    ).fit_transform(texts)
    a, b = matrix[0::2], matrix[1::2]
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


# --- fitting the same-story weights ----------------------------------------------------------

# Without the encoder, lexical likeness also runs high between different stories of one country and
# week (the same places, institutions and words): SemEval's unrelated pairs rarely share a locale,
# so a fit on SemEval alone put 18% of the demo corpus's cross-story pairs at 0.5 or more (2% with
# the encoder). The lexical fit therefore also sees every pair of the demo corpus, labelled 1 (same
# story) or 0, each weighing this much beside a SemEval pair; the encoder fit sees SemEval alone.
LEXICAL_DEMO_WEIGHT = 0.1


@dataclass
class Extra:
    """Pairs added to every fit: features, targets in [0, 1], one weight for them all."""

    features: list[dict[str, float]]
    target: np.ndarray
    weight: float


def _matrix(features: list[dict[str, float]], encoder: bool) -> np.ndarray:
    """The model's inputs, one row per pair (gated features zeroed as relate.py does)."""
    return np.array([rel.model_inputs(f, encoder=encoder) for f in features], dtype=float)


def soft_target(overall: np.ndarray) -> np.ndarray:
    """SemEval's Overall (1 same story .. 4 unrelated) as a target in [0, 1]."""
    return (4.0 - overall) / 3.0


def fit_weights(
    x: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Logistic regression on soft targets: each pair twice, weighted by target and 1 - target."""
    from sklearn.linear_model import LogisticRegression

    weight = np.ones(len(x)) if weight is None else weight
    xs = np.vstack([x, x])
    ys = np.r_[np.ones(len(x)), np.zeros(len(x))]
    model = LogisticRegression(C=10, max_iter=5000).fit(
        xs, ys, sample_weight=np.r_[target * weight, (1 - target) * weight]
    )
    return model.coef_[0], float(model.intercept_[0])


def _fit(
    x: np.ndarray, overall: np.ndarray, encoder: bool, extra: Extra | None
) -> tuple[np.ndarray, float]:
    if extra is None:
        return fit_weights(x, soft_target(overall))
    x_extra = _matrix(extra.features, encoder)
    return fit_weights(
        np.vstack([x, x_extra]),
        np.r_[soft_target(overall), extra.target],
        np.r_[np.ones(len(x)), np.full(len(x_extra), extra.weight)],
    )


def _scores(x: np.ndarray, coef: np.ndarray, bias: float) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-(x @ coef + bias))))


def pair_groups(pairs: Sequence[Pair]) -> np.ndarray:
    """One group per set of pairs linked by an article, its translations counted as the article.

    A third of the training pairs are machine translations of another pair ("123zh_456zh" beside
    "123_456"), some pairs come twice: folds that split such a set would score a pair the fit saw.
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ends = [[re.sub(r"[a-z]+$", "", side) for side in p.id.split("_")] for p in pairs]
    for sides in ends:
        for side in sides[1:]:
            parent[root(side)] = root(sides[0])
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(root(sides[0]), len(ids)) for sides in ends])


def cross_validated(
    x: np.ndarray, overall: np.ndarray, groups: np.ndarray, encoder: bool, extra: Extra | None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Held-out scores, each fold scored by weights fitted on the other folds (and `extra`), folds
    cut between groups of linked pairs; and the pairs of each fold."""
    from sklearn.model_selection import GroupKFold

    shuffled = np.random.default_rng(0).permutation(groups.max() + 1)[groups]
    out = np.zeros(len(x))
    folds = []
    for train, test in GroupKFold(FOLDS).split(x, groups=shuffled):
        out[test] = _scores(x[test], *_fit(x[train], overall[train], encoder, extra))
        folds.append(test)
    return out, folds


def languages_held_out(
    x: np.ndarray,
    overall: np.ndarray,
    pairs: Sequence[Pair],
    groups: np.ndarray,
    encoder: bool,
    extra: Extra | None,
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Transfer to languages the fit never saw, two ways.

    Per language: its pairs (one side in it or both) and their scores by weights fitted on the
    pairs with no side in it, nor linked to a held-out pair. Pooled: every pair scored by weights
    fitted on the pairs sharing none of its languages, so that one Pearson covers them all.
    """
    sides = [set(p.langs.split("-")) for p in pairs]

    def without(langs: set[str]) -> tuple[np.ndarray, tuple[np.ndarray, float]]:
        held = np.array([bool(s & langs) for s in sides])
        train = ~held & ~np.isin(groups, groups[held])
        return held, _fit(x[train], overall[train], encoder, extra)

    per_lang = {}
    for lang in sorted(set().union(*sides)):
        held, weights = without({lang})
        per_lang[lang] = (np.flatnonzero(held), _scores(x[held], *weights))
    pooled = np.zeros(len(x))
    for key in sorted({p.langs for p in pairs}):
        these = np.array([p.langs == key for p in pairs])
        pooled[these] = _scores(x[these], *without(set(key.split("-")))[1])
    return per_lang, pooled


def bootstrap(
    scores: np.ndarray, overall: np.ndarray, groups: np.ndarray, rounds: int = BOOTSTRAP
) -> tuple[float, float]:
    """95% interval of the Pearson with -Overall, resampling groups of linked pairs."""
    rng = np.random.default_rng(1)
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        members[int(g)].append(i)
    sets = [np.array(v) for v in members.values()]
    values = []
    for _ in range(rounds):
        idx = np.concatenate([sets[k] for k in rng.integers(0, len(sets), len(sets))])
        values.append(pearson(scores[idx], -overall[idx]))
    low, high = np.nanpercentile(values, [2.5, 97.5])
    return float(low), float(high)


def print_fit(features: list[dict[str, float]], overall: np.ndarray, extra: Extra | None) -> None:
    encoder = "embedding_cosine" in features[0]
    label = "WEIGHTS_ENCODER" if encoder else "WEIGHTS_LEXICAL"
    names = rel.FEATURES_ENCODER if encoder else rel.FEATURES_LEXICAL
    coef, bias = _fit(_matrix(features, encoder), overall, encoder, extra)
    items = [f'"bias": {bias:.4f}'] + [f'"{n}": {c:.4f}' for n, c in zip(names, coef, strict=True)]
    print(f"{label}: dict[str, float] = {{" + ", ".join(items) + "}")


def demo_docs() -> tuple[list[StoryDoc], dict[str, str]]:
    """The demo world's articles, and the story of each."""
    from actuel.demo.build import load_world

    world = load_world()
    docs = [a.story_doc() for a in world.articles]
    return docs, {a.id: a.story for a in world.articles}


def demo_training() -> Extra:
    """Every pair of the demo corpus without the encoder: 1 when one story, else 0."""
    docs, story = demo_docs()
    prints = fingerprint_many(docs)
    features, target = [], []
    for i, x in enumerate(prints):
        for y in prints[i + 1 :]:
            features.append(pair_features(x, y))
            target.append(float(story[x.doc_id] == story[y.doc_id]))
    return Extra(features, np.array(target), LEXICAL_DEMO_WEIGHT)


# --- the sections ------------------------------------------------------------------------------


def _interval(scores: np.ndarray, overall: np.ndarray, groups: np.ndarray) -> str:
    low, high = bootstrap(scores, overall, groups)
    return f"{pearson(scores, -overall):.3f} [{low:.3f}, {high:.3f}]"


def _per_language_pair(
    pairs: Sequence[Pair], overall: np.ndarray, scores: dict[str, np.ndarray]
) -> None:
    by_langs: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_langs[p.langs].append(i)
    rows = [("all", list(range(len(pairs)))), *sorted(by_langs.items(), key=lambda kv: -len(kv[1]))]
    print(f"{'languages':<10} {'pairs':>5}" + "".join(f" {k:>9}" for k in scores))
    for name, idx in rows:
        figures = [pearson(s[idx], -overall[idx]) for s in scores.values()]
        print(f"{name:<10} {len(idx):>5}" + "".join(f" {f:>9.3f}" for f in figures))


def _per_language_held_out(
    by_lang: dict[str, tuple[np.ndarray, np.ndarray]],
    overall: np.ndarray,
    groups: np.ndarray,
    tfidf: np.ndarray,
) -> None:
    print("leave one language out: its pairs (one side in it or both), weights fitted without it")
    print(f"{'language':<10} {'pairs':>5} {'Pearson [95%]':>22} {'TF-IDF':>7}")
    figures = []
    for lang, (idx, scores) in by_lang.items():
        figures.append(pearson(scores, -overall[idx]))
        interval = _interval(scores, overall[idx], groups[idx])
        tfidf_r = pearson(tfidf[idx], -overall[idx])
        print(f"{lang:<10} {len(idx):>5} {interval:>22} {tfidf_r:>7.3f}")
    print(f"{'mean':<10} {'':>5} {np.mean(figures):>22.3f}")


def semeval(encoder: Encoder | None, fit: bool) -> dict[str, float]:
    pairs = load_semeval()
    docs = [d for p in pairs for d in (p.a, p.b)]
    prints = fingerprint_many(docs, encoder=encoder)
    features = [pair_features(prints[2 * i], prints[2 * i + 1]) for i in range(len(pairs))]
    overall = np.array([p.overall for p in pairs])
    groups = pair_groups(pairs)
    extra = demo_training() if encoder is None else None
    if fit:
        print_fit(features, overall, extra)
    verdicts = [rel.relate(prints[2 * i], prints[2 * i + 1]) for i in range(len(pairs))]
    shipped = np.array([v.same_story for v in verdicts])
    x = _matrix(features, encoder is not None)
    held_out, folds = cross_validated(x, overall, groups, encoder is not None, extra)
    per_fold = [pearson(held_out[test], -overall[test]) for test in folds]
    by_lang, unseen = languages_held_out(x, overall, pairs, groups, encoder is not None, extra)
    tfidf = tfidf_cosines([(f"{p.a.title} {p.a.text}", f"{p.b.title} {p.b.text}") for p in pairs])
    mode = f"encoder {encoder.name}" if encoder is not None else "no encoder"
    print(f"\n== semeval2022t8-train: {len(pairs)} pairs, {mode}; Pearson with -Overall ==")
    print(
        f"held-out: {FOLDS} folds that never split pairs linked by an article or its machine "
        f"translation ({groups.max() + 1} groups); [95% interval: {BOOTSTRAP} bootstrap resamples "
        "of those groups]"
    )
    if extra is not None:
        print(
            f"(the lexical weights also see the {len(extra.target)} demo-corpus pairs, each "
            f"weighing {extra.weight}; held-out SemEval folds never do)"
        )
    spread = f"{np.mean(per_fold):.3f} ± {np.std(per_fold):.3f}, min {min(per_fold):.3f}"
    print(f"  held-out {_interval(held_out, overall, groups)}; per fold {spread}")
    unseen_r = _interval(unseen, overall, groups)
    print(
        f"  unseen: each pair scored by weights fitted on pairs in none of its languages {unseen_r}"
    )
    print(f"  TF-IDF anchor {_interval(tfidf, overall, groups)}")
    columns = {"held-out": held_out, "unseen": unseen, "shipped*": shipped, "TF-IDF": tfidf}
    _per_language_pair(pairs, overall, columns)
    _per_language_held_out(by_lang, overall, groups, tfidf)
    f1_held, counted = f1_same(held_out, overall, rel.SAME_STORY)
    f1_ship, _ = f1_same(shipped, overall, rel.SAME_STORY)
    f1_tfidf, t_tfidf = best_f1(tfidf, overall)
    f1_folds = [f1_same(held_out[test], overall[test], rel.SAME_STORY)[0] for test in folds]
    print(f"F1 same (Overall <= {SAME}) vs unrelated (>= {UNRELATED}), {counted} pairs:")
    cut = rel.SAME_STORY
    f1_spread = f"{np.mean(f1_folds):.3f} ± {np.std(f1_folds):.3f}"
    print(
        f"  held-out at {cut}: {f1_held:.3f} (per fold {f1_spread}); "
        f"shipped* at {cut}: {f1_ship:.3f}"
    )
    print(f"  TF-IDF at its best threshold ({t_tfidf:.3f}, chosen on this data): {f1_tfidf:.3f}")
    print("  * shipped weights were fitted on these pairs: in-sample, for reference only")
    same, unrelated = overall <= SAME, overall >= UNRELATED
    print(
        f"  held-out scores: unrelated pairs >= {cut}: {np.mean(held_out[unrelated] >= cut):.3f}, "
        f"same-story pairs < {cut}: {np.mean(held_out[same] < cut):.3f}"
    )
    for label, keep in (("same (<= 1.5)", same), ("unrelated (>= 3.5)", unrelated)):
        kinds: dict[str, int] = defaultdict(int)
        for v, k in zip(verdicts, keep, strict=True):
            if k:
                kinds[v.relation.value if v.relation else "none"] += 1
        print(
            f"  relations on {label} pairs: "
            + ", ".join(f"{a} {b}" for a, b in sorted(kinds.items()))
        )
    return {
        "semeval_pearson": pearson(held_out, -overall),
        "semeval_unseen": pearson(unseen, -overall),
        "semeval_f1": f1_held,
        "semeval_unrelated_over": float(np.mean(held_out[unrelated] >= cut)),
        "semeval_same_under": float(np.mean(held_out[same] < cut)),
    }


def wmt(encoder: Encoder | None) -> None:
    originals, translations = load_wmt()
    fr = fingerprint_many(originals, encoder=encoder)
    de = fingerprint_many([t for t, _, _ in translations], encoder=encoder)
    index = {p.doc_id: i for i, p in enumerate(fr)}
    hits, rr, as_translation, false_translation = 0, 0.0, 0, 0
    per_system: dict[str, list[int]] = defaultdict(list)
    started = time.perf_counter()
    for fp, (_, original, system) in zip(de, translations, strict=True):
        verdicts = [rel.relate(fp, other) for other in fr]
        order = np.argsort([-v.same_story for v in verdicts], kind="stable")
        rank = int(np.flatnonzero(order == index[original])[0]) + 1
        hits += rank == 1
        rr += 1 / rank
        per_system[system].append(rank == 1)
        as_translation += verdicts[index[original]].relation is RelationKind.TRANSLATION
        false_translation += sum(
            v.relation is RelationKind.TRANSLATION
            for i, v in enumerate(verdicts)
            if i != index[original]
        )
    elapsed = time.perf_counter() - started
    texts = [f"{d.title}\n{d.text}" for d in originals]
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    m_fr = vec.fit_transform(texts + [f"{t.title}\n{t.text}" for t, _, _ in translations])
    sims = (m_fr[len(texts) :] @ m_fr[: len(texts)].T).toarray()
    t_hits = sum(
        int(np.argmax(row) == index[o]) for row, (_, o, _) in zip(sims, translations, strict=True)
    )
    n = len(translations)
    mode = f"encoder {encoder.name}" if encoder is not None else "no encoder"
    print(
        f"\n== wmt21-fr-de: {n} German translations, {len(originals)} French originals, {mode} =="
    )
    print(f"P@1 {hits / n:.4f}  MRR {rr / n:.4f}   (TF-IDF anchor P@1 {t_hits / n:.4f})")
    print(f"relation with its original reported as translation: {as_translation / n:.4f}")
    wrong_pairs = n * (len(originals) - 1)
    print(f"translation claimed with a wrong original: {false_translation}/{wrong_pairs} pairs")
    print(
        "P@1 per translator: "
        + ", ".join(f"{s} {np.mean(v):.3f}" for s, v in sorted(per_system.items()))
    )
    calls = n * len(originals)
    print(f"{calls} relate() calls in {elapsed:.1f} s ({calls / elapsed:.0f}/s)")


def demo(encoder: Encoder | None) -> dict[str, float]:
    from actuel.demo.build import load_world

    world = load_world()
    docs, story = demo_docs()
    prints = {p.doc_id: p for p in fingerprint_many(docs, encoder=encoder)}
    kinds: dict[str, list[bool]] = defaultdict(list)
    directions, wrong = [], []
    for art in world.articles:
        if not art.derived_from:
            continue
        verdict = rel.relate(prints[art.id], prints[art.derived_from])
        got = verdict.relation.value if verdict.relation else "none"
        kinds[art.relation].append(got == art.relation)
        directions.append(verdict.direction == "a->b")
        if got != art.relation or verdict.direction != "a->b":
            wrong.append(
                f"{art.id} -> {art.derived_from}: {art.relation}, got {got} {verdict.direction}"
            )
    # reports that derive from nothing in the same story must come out independent
    firsts = [a for a in world.articles if a.relation in ("original", "independent")]
    independent = [
        rel.relate(prints[x.id], prints[y.id]).relation is RelationKind.INDEPENDENT
        for i, x in enumerate(firsts)
        for y in firsts[i + 1 :]
        if x.story == y.story
    ]
    same: list[float] = []
    other: list[float] = []
    ids = list(prints)
    for i, x in enumerate(ids):
        for y in ids[i + 1 :]:
            (same if story[x] == story[y] else other).append(
                rel.relate(prints[x], prints[y]).same_story
            )
    total = sum(len(v) for v in kinds.values())
    right = sum(sum(v) for v in kinds.values())
    mode = f"encoder {encoder.name}" if encoder is not None else "no encoder"
    print(f"\n== demo corpus: {len(docs)} articles, {total} derived pairs, {mode} ==")
    if encoder is None:
        print(f"(the lexical weights saw these pairs, at {LEXICAL_DEMO_WEIGHT} each: in-sample)")
    print(f"relation accuracy {right / total:.3f}  direction accuracy {np.mean(directions):.3f}")
    print("  " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(kinds.items())))
    print(f"  independent reports of one story: {sum(independent)}/{len(independent)} independent")
    for line in wrong:
        print("  wrong:", line)
    s, o = np.array(same), np.array(other)
    cut = rel.SAME_STORY
    print(
        f"same story: {len(s)} pairs, mean {s.mean():.3f}, >= {cut}: {np.mean(s >= cut):.3f}, "
        f"< {cut}: {np.mean(s < cut):.3f}"
    )
    print(
        f"different stories: {len(o)} pairs, mean {o.mean():.3f}, >= {cut}: {np.mean(o >= cut):.4f}"
    )
    print(
        "  score quantiles, different stories (50/90/99/max): "
        + " ".join(f"{q:.3f}" for q in np.quantile(o, [0.5, 0.9, 0.99, 1.0]))
        + "; same story (min/10/50): "
        + " ".join(f"{q:.3f}" for q in np.quantile(s, [0.0, 0.1, 0.5]))
    )
    auc = float(np.mean(s[:, None] > o[None, :]) + 0.5 * np.mean(s[:, None] == o[None, :]))
    print(f"ROC AUC same vs different {auc:.4f}")
    print(f"lowest same-story score {s.min():.3f}, highest different-story score {o.max():.3f}")
    return {
        "demo_cross_over": float(np.mean(o >= cut)),
        "demo_same_under": float(np.mean(s < cut)),
        "demo_auc": auc,
        "demo_relations": right / total,
    }


def speed(with_encoder: bool) -> None:
    from datasketch import MinHash

    docs = [d for p in load_semeval() for d in (p.a, p.b)]
    started = time.perf_counter()
    fingerprint_many(docs)
    plain = len(docs) / (time.perf_counter() - started)
    started = time.perf_counter()
    for d in docs:
        mh = MinHash(num_perm=128, seed=1)
        mh.update_batch([str(int(h)).encode() for h in np.unique(shingle_hashes(tokens(d.text)))])
    anchor = len(docs) / (time.perf_counter() - started)
    print(f"\n== speed: {len(docs)} SemEval texts, one process ==")
    print(f"fingerprint() without encoder {plain:,.0f} docs/s")
    print(f"  anchor: datasketch MinHash of the same shingles {anchor:,.0f} docs/s")
    if with_encoder:
        encoder = CachedEncoder(USEEncoder())  # a cold cache: every lead is encoded
        encoder.encode(["warm-up: load the weights"])
        started = time.perf_counter()
        fingerprint_many(docs, encoder=encoder)
        rate = len(docs) / (time.perf_counter() - started)
        print(f"fingerprint() with encoder (cold cache, lead and headline) {rate:,.0f} docs/s")
        started = time.perf_counter()
        fingerprint_many(docs, encoder=encoder)
        rate = len(docs) / (time.perf_counter() - started)
        print(f"fingerprint() with encoder (warm cache) {rate:,.0f} docs/s")
        encoder_cost(docs)


def encoder_cost(docs: Sequence[StoryDoc], rounds: int = 3) -> None:
    """CPU time of the encoder per article: the lead, and the headline read on its own.

    Process time, best of `rounds` alternating runs: a shared machine slows one run or another.
    """
    encoder = USEEncoder()
    encoder.encode(["warm-up: load the weights"])
    texts = {"lead": [embedding_text(d) for d in docs], "headline": [title_text(d) for d in docs]}
    best = dict.fromkeys(texts, float("inf"))
    for _ in range(rounds):
        for kind, batch in texts.items():
            started = time.process_time()
            for start in range(0, len(batch), 32):
                encoder.encode(batch[start : start + 32])
            best[kind] = min(best[kind], (time.process_time() - started) / len(batch) * 1000)
    lead_chars = np.mean([len(t) for t in texts["lead"]])
    head_chars = np.mean([len(t) for t in texts["headline"]])
    print(
        f"encoder CPU per article: lead {best['lead']:.2f} ms ({lead_chars:.0f} characters), "
        f"headline {best['headline']:.2f} ms ({head_chars:.0f} characters): "
        f"+{best['headline'] / best['lead']:.1%}"
    )


def summary(figures: dict[str, dict[str, float]]) -> None:
    """Both configurations side by side: do scores mean the same thing with and without it?"""
    cut = rel.SAME_STORY
    rows = [
        ("demo: different-story pairs >= " + str(cut), "demo_cross_over"),
        ("demo: same-story pairs < " + str(cut), "demo_same_under"),
        ("demo: ROC AUC same vs different", "demo_auc"),
        ("demo: relation accuracy", "demo_relations"),
        ("SemEval held-out: Pearson", "semeval_pearson"),
        ("SemEval, languages unseen: Pearson", "semeval_unseen"),
        ("SemEval held-out: F1 at " + str(cut), "semeval_f1"),
        ("SemEval held-out: unrelated >= " + str(cut), "semeval_unrelated_over"),
        ("SemEval held-out: same < " + str(cut), "semeval_same_under"),
    ]
    modes = list(figures)
    if not modes:
        return
    print("\n== same_story calibration, per configuration ==")
    print(f"{'':40}" + "".join(f"{m:>14}" for m in modes))
    for label, key in rows:
        if all(key in figures[m] for m in modes):
            print(f"{label:40}" + "".join(f"{figures[m][key]:>14.3f}" for m in modes))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--only", default="semeval,wmt,demo,speed")
    parser.add_argument("--fit", action="store_true", help="print refitted same-story weights")
    args = parser.parse_args(argv)
    encoder = None if args.no_encoder else default_encoder()
    # pipelines may run without the encoder: its figures come with the encoder's, to compare
    configurations = [encoder, None] if encoder is not None else [None]
    figures: dict[str, dict[str, float]] = defaultdict(dict)
    sections = set(args.only.split(","))
    if "demo" in sections:
        for chosen in configurations:
            figures["encoder" if chosen else "no encoder"].update(demo(chosen))
    if {"semeval", "wmt", "speed"} & sections and not CORPORA.is_dir():
        print(f"{CORPORA} is absent: SemEval, WMT and speed figures skipped")
        summary(figures)
        return 0
    if "semeval" in sections:
        for chosen in configurations:
            figures["encoder" if chosen else "no encoder"].update(semeval(chosen, args.fit))
    if "wmt" in sections:
        wmt(encoder)
    if "speed" in sections:
        speed(encoder is not None)
    summary(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
