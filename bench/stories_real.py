"""Stories on real news: B-cubed of `actuel cluster` per data set and language, beside TF-IDF.

    python bench/stories_real.py [--only ecb,headlines,semeval,wmt,demo] [--seeds 3]
                                 [--no-encoder] [--fit]

Articles stream in date order, as `actuel cluster` reads them (the command's own code path,
`cluster_jsonl`); articles without a date go in at random places, and each figure is the mean over
`--seeds` such orders with its range. Beside it, in the same run: a TF-IDF cosine single-link
baseline whose threshold is chosen on the answers (the best it can do), and a 95% interval from
resampling the data set's topics or stories. Data (../shared/corpora; never in the repository):
- ecbplus-dev: 772 English articles, 66 events; each topic holds two events of one kind, and a
  story joining both is a look-alike merge;
- news-headlines-2014: 6,366 titles without text, 87 stories as a news aggregator grouped them;
- semeval: SemEval-2022 task 8 train pairs in 10 languages made into story groups: pairs rated
  the same story (Overall <= 1.5) joined, articles of pairs rated unrelated kept apart, articles
  seen only in pairs rated in between left out (the groups are partial: two pairs about one event
  count as two stories), so the pairs annotators rated are scored too (precision and recall of
  putting them in one story); an article and its machine-translated version ("<id>zh") are one;
- wmt: WMT21 fr-de, each French article with its German translations (human and systems); two
  outlets' articles of one event count as two stories here (read: every merge across two French
  articles seen on 2026-12-07 was such a pair: the UNIS affair and Bill Morneau's refund, Wall
  Street's Friday close, the 630-million aviation fund, the Holroyd report, the GAFA hearing);
- demo: the demo world (ours: a regression check, not evidence).
`--fit` refits the story-level weights (src/actuel/stories/profile.py) on ecbplus-dev,
news-headlines-2014 and the SemEval groups, and prints their held-out figures (topic folds).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

# the pairwise bench's SemEval reading (bench/ is on the path when a bench script runs)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from actuel.model import StoryDoc
from actuel.stories import join_model as jm
from actuel.stories.batch import cluster_jsonl
from actuel.stories.cluster import StoryClusterer, batched
from actuel.stories.encoder import Encoder, default_encoder
from stories import split_title

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SAME, UNRELATED = 1.5, 3.5  # SemEval "Overall": same story at or below, unrelated at or above
BOOTSTRAP = 1000


@dataclass
class Item:
    """One article with its true story and the unit resampled for intervals (topic or story)."""

    doc: StoryDoc
    gold: str
    unit: str
    topic: str | None = None  # ecbplus: two events of one kind share a topic


@dataclass
class DataSet:
    name: str
    items: list[Item]
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    # pairs annotators rated (SemEval): True the same story, False unrelated; the groups say
    # nothing of two articles never rated together
    rated: dict[frozenset[str], bool] = field(default_factory=dict)


# --- loading ----------------------------------------------------------------------------------


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_ecb(corpora: Path = CORPORA) -> DataSet:
    items = []
    for row in _jsonl(corpora / "ecbplus-dev" / "docs.jsonl"):
        doc = StoryDoc(
            id=row["id"],
            title=row.get("title") or "",
            text=row.get("text") or "",
            url=row.get("url") or None,
            published_at=_date(row.get("published")),
            lang=row.get("lang") or None,
        )
        items.append(Item(doc, row["gold_cluster"], row["gold_topic"], row["gold_topic"]))
    return DataSet("ecbplus-dev", items, "772 articles, 66 events in 33 topics of two events")


def load_headlines(corpora: Path = CORPORA) -> DataSet:
    items = []
    for row in _jsonl(corpora / "news-headlines-2014" / "docs.jsonl"):
        doc = StoryDoc(
            id=row["id"],
            title=row.get("title") or "",
            text="",
            url=row.get("url") or None,
            published_at=_date(row.get("published")),
            lang=row.get("lang") or None,
            source=row.get("publisher") or None,
        )
        items.append(Item(doc, row["gold_cluster"], row["gold_cluster"]))
    return DataSet("news-headlines-2014", items, "titles only, 87 aggregator stories")


def load_semeval(corpora: Path = CORPORA) -> DataSet:
    """Story groups from SemEval pairs: components of same-story pairs; see the module doc."""
    csv.field_size_limit(sys.maxsize)
    docs: dict[str, StoryDoc] = {}
    same: list[tuple[str, str]] = []
    rated: dict[frozenset[str], bool] = {}
    decided: set[str] = set()
    undecided: set[str] = set()
    with (corpora / "semeval2022t8-train" / "training_set.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ids = row["pair_id"].split("_")
            for side, doc_id in zip(("1", "2"), ids, strict=True):
                title, body = split_title(row[f"text{side}"])
                docs.setdefault(doc_id, StoryDoc(doc_id, title, body, lang=row[f"lang{side}"]))
            overall = float(row["Overall"])
            if overall <= SAME:
                same.append((ids[0], ids[1]))
            if overall <= SAME or overall >= UNRELATED:
                decided.update(ids)
                rated[frozenset(ids)] = overall <= SAME
            else:
                undecided.update(ids)
    parent = {d: d for d in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in same:
        parent[root(a)] = root(b)
    # "1498601317zh" is article 1498601317 machine-translated into another language (the corpus's
    # README): the same article, so the same story, though no pair says so
    for doc_id in docs:
        base = doc_id.rstrip("abcdefghijklmnopqrstuvwxyz")
        if base != doc_id and base in docs:
            parent[root(doc_id)] = root(base)
    keep = decided - undecided
    items = [Item(docs[d], root(d), root(d)) for d in sorted(keep) if docs[d].text.strip()]
    groups = Counter(i.gold for i in items)
    note = f"{len(items)} articles, {sum(1 for n in groups.values() if n > 1)} groups of 2+"
    kept = {i.doc.id for i in items}
    rated = {pair: verdict for pair, verdict in rated.items() if pair <= kept and len(pair) == 2}
    return DataSet("semeval-groups", items, note, rated=rated)


def load_wmt(corpora: Path = CORPORA) -> DataSet:
    """Each French article with its German translations: one story each."""
    root = ET.parse(corpora / "wmt21-fr-de" / "newstest2021.fr-de.all.xml").getroot()
    items = []
    for doc in root.iter("doc"):
        doc_id = doc.get("id", "")
        versions = [("fr", doc.find("src"), doc_id)]
        versions += [("de", el, f"{doc_id}/ref") for el in doc.iter("ref")]
        versions += [("de", el, f"{doc_id}/{el.get('system')}") for el in doc.iter("hyp")]
        for lang, el, vid in versions:
            if el is None:
                continue
            text = "\n".join(s.text or "" for s in el.iter("seg"))
            title, _, body = text.partition("\n")
            items.append(Item(StoryDoc(vid, title, body, lang=lang), doc_id, doc_id))
    return DataSet("wmt21-fr-de", items, "French originals with human and system translations")


def load_demo() -> DataSet:
    from actuel.demo.build import load_world

    world = load_world()
    items = [Item(a.story_doc(), a.story, a.story) for a in world.articles]
    return DataSet("demo world", items, "ours: regression check only")


def load_headlines_undated() -> DataSet:
    return undated(load_headlines())


LOADERS = {
    "ecb": load_ecb,
    "headlines": load_headlines,
    "headlines-undated": load_headlines_undated,
    "semeval": load_semeval,
    "wmt": load_wmt,
    "demo": load_demo,
}


# --- streaming order and scoring --------------------------------------------------------------


def stream_order(items: Sequence[Item], seed: int) -> list[Item]:
    """Dated articles in date order; undated ones at random places among them."""
    rng = random.Random(seed)
    dated = sorted((i for i in items if i.doc.published_at), key=lambda i: _utc(i.doc))
    undated = [i for i in items if not i.doc.published_at]
    rng.shuffle(undated)
    slots = sorted(rng.randint(0, len(dated)) for _ in undated)
    out: list[Item] = []
    it = iter(undated)
    at = 0
    for n, item in enumerate(dated):
        while at < len(slots) and slots[at] <= n:
            out.append(next(it))
            at += 1
        out.append(item)
    out.extend(it)
    return out


def _utc(doc: StoryDoc) -> float:
    moment = doc.published_at
    assert moment is not None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=__import__("datetime").UTC).timestamp()
    return moment.timestamp()


def bcubed_items(pred: Sequence[str], gold: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per-article B-cubed precision and recall."""
    by_pred: dict[str, list[int]] = defaultdict(list)
    by_gold: dict[str, list[int]] = defaultdict(list)
    for n, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].append(n)
        by_gold[g].append(n)
    precision = np.zeros(len(pred))
    recall = np.zeros(len(pred))
    for members in by_pred.values():
        counts = Counter(gold[m] for m in members)
        for m in members:
            shared = counts[gold[m]]
            precision[m] = shared / len(members)
            recall[m] = shared / len(by_gold[gold[m]])
    return precision, recall


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    precision, recall = bcubed_items(pred, gold)
    p, r = float(precision.mean()), float(recall.mean())
    return p, r, f1(p, r)


def interval(
    pred: Sequence[str], gold: Sequence[str], units: Sequence[str], seed: int = 0
) -> tuple[float, float]:
    """95% interval of B-cubed F1 from resampling whole units (topics or stories)."""
    precision, recall = bcubed_items(pred, gold)
    by_unit: dict[str, list[int]] = defaultdict(list)
    for n, u in enumerate(units):
        by_unit[u].append(n)
    groups = list(by_unit.values())
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(groups), len(groups))
        rows = np.concatenate([groups[k] for k in pick])
        scores.append(f1(float(precision[rows].mean()), float(recall[rows].mean())))
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


def rated_pairs(
    pred: Sequence[str], items: Sequence[Item], rated: dict[frozenset[str], bool]
) -> str:
    """Of the pairs annotators rated, how many a clustering puts in one story: the precision and
    recall that the partial groups cannot give (two articles never rated together may be one
    event, and B-cubed counts them apart)."""
    story = {i.doc.id: p for i, p in zip(items, pred, strict=True)}
    joined = Counter(
        verdict for pair, verdict in rated.items() if len({story[d] for d in pair}) == 1
    )
    same = sum(rated.values())
    precision = joined[True] / max(1, joined[True] + joined[False])
    return (f"P {precision:.3f} R {joined[True] / max(1, same):.3f} "
            f"({joined[False]} of {len(rated) - same} unrelated pairs joined)")  # fmt: skip


def lookalike_merges(pred: Sequence[str], items: Sequence[Item]) -> int:
    """Predicted stories holding articles of two different events of one topic."""
    events: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    for p, item in zip(pred, items, strict=True):
        if item.topic is not None:
            events[p].add((item.topic, item.gold))
    merged = 0
    for found in events.values():
        per_topic = Counter(topic for topic, _ in found)
        merged += sum(1 for n in per_topic.values() if n > 1)
    return merged


# --- actuel and the baseline ------------------------------------------------------------------


def as_line(doc: StoryDoc) -> str:
    return json.dumps(
        {
            "id": doc.id,
            "title": doc.title,
            "text": doc.text,
            "url": doc.url,
            "lang": doc.lang,
            "source": doc.source,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
        },
        ensure_ascii=False,
    )


def run_actuel(
    items: Sequence[Item], encoder: Encoder | None, model: jm.JoinModel = jm.DEFAULT_MODEL
) -> tuple[list[str], float]:
    """`actuel cluster`'s answers (story ids, in the order of `items`) and the seconds taken."""
    started = time.perf_counter()
    lines = (as_line(i.doc) for i in items)
    rows = list(cluster_jsonl(lines, encoder=encoder, join_model=model))
    elapsed = time.perf_counter() - started
    story = {str(r["id"]): str(r["story_id"]) for r in rows}
    return [story[i.doc.id] for i in items], elapsed


def tfidf_single_link(items: Sequence[Item]) -> tuple[list[str], float]:
    """TF-IDF (word, sublinear) cosine single-link, at the threshold best for the answers."""
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{i.doc.title}\n{i.doc.text}" for i in items]
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    sims = (matrix @ matrix.T).tocsr()
    gold = [i.gold for i in items]
    best: tuple[float, float, list[str]] = (-1.0, 0.0, [])
    for threshold in np.arange(0.1, 0.95, 0.025):
        graph = sims.multiply(sims >= threshold)
        _, labels = connected_components(graph, directed=False)
        pred = [str(x) for x in labels]
        score = bcubed(pred, gold)[2]
        if score > best[0]:
            best = (score, float(threshold), pred)
    return best[2], best[1]


# --- report -----------------------------------------------------------------------------------


def per_language(pred: Sequence[str], items: Sequence[Item]) -> dict[str, tuple[int, float]]:
    precision, recall = bcubed_items(pred, [i.gold for i in items])
    out: dict[str, tuple[int, float]] = {}
    langs = sorted({i.doc.lang or "?" for i in items})
    for lang in langs:
        rows = [n for n, i in enumerate(items) if (i.doc.lang or "?") == lang]
        out[lang] = (len(rows), f1(float(precision[rows].mean()), float(recall[rows].mean())))
    return out


def report(data: DataSet, encoders: Sequence[Encoder | None], seeds: int) -> None:
    gold = [i.gold for i in data.items]
    units = [i.unit for i in data.items]
    print(f"\n== {data.name}: {len(data.items)} articles, {len(set(gold))} stories "
          f"({data.note}) ==")  # fmt: skip
    print(f"{'':34}{'P':>7}{'R':>7}{'F1':>7}  95% interval   range over {seeds} orders")
    base_pred, base_threshold = tfidf_single_link(data.items)
    predictions: list[tuple[str, list[str]]] = []
    for encoder in encoders:
        runs = []
        for seed in range(seeds):
            ordered = stream_order(data.items, seed)
            pred_ordered, elapsed = run_actuel(ordered, encoder)
            story = {i.doc.id: p for i, p in zip(ordered, pred_ordered, strict=True)}
            runs.append(([story[i.doc.id] for i in data.items], elapsed))
        figures = np.array([bcubed(pred, gold) for pred, _ in runs])
        mean = figures.mean(axis=0)
        first = runs[0][0]
        low, high = interval(first, gold, units)
        mode = "with encoder" if encoder is not None else "without encoder"
        print(f"{'actuel cluster, ' + mode:34}{mean[0]:7.3f}{mean[1]:7.3f}{mean[2]:7.3f}"
              f"  {low:.3f}-{high:.3f}    {figures[:, 2].min():.3f}-{figures[:, 2].max():.3f}"
              f"  ({len(set(first))} stories, {np.mean([e for _, e in runs]):.1f} s)")  # fmt: skip
        predictions.append((mode, first))
    base = bcubed(base_pred, gold)
    base_low, base_high = interval(base_pred, gold, units)
    print(f"{'TF-IDF single link @' + format(base_threshold, '.3f'):34}{base[0]:7.3f}"
          f"{base[1]:7.3f}{base[2]:7.3f}  {base_low:.3f}-{base_high:.3f}"
          f"    (threshold chosen on the answers)")  # fmt: skip
    if any(i.topic for i in data.items):
        print("look-alike merges (stories joining two events of one topic): " + ", ".join(
            f"actuel {mode} {lookalike_merges(pred, data.items)}" for mode, pred in predictions)
            + f", TF-IDF {lookalike_merges(base_pred, data.items)}")  # fmt: skip
    if data.rated:
        print(f"pairs annotators rated ({sum(data.rated.values())} same story, "
              f"{len(data.rated) - sum(data.rated.values())} unrelated), joined in one story: "
              + ", ".join(f"actuel {mode} {rated_pairs(pred, data.items, data.rated)}"
                          for mode, pred in predictions)
              + f", TF-IDF {rated_pairs(base_pred, data.items, data.rated)}")  # fmt: skip
    base_langs = per_language(base_pred, data.items)
    if len(base_langs) > 1:
        for mode, pred in predictions:
            print(f"per language, {mode} (B-cubed F1, actuel / TF-IDF): " + ", ".join(
                f"{lang} {n}: {score:.3f} / {base_langs[lang][1]:.3f}"
                for lang, (n, score) in per_language(pred, data.items).items()))  # fmt: skip


# --- fitting the join model -------------------------------------------------------------------

# the data the join model learns from, and the units its held-out figures leave out together
FIT_SETS = ("ecb", "semeval", "headlines")
FOLDS = 5
JOIN_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)
MERGE_GRID = (0.7, 0.75, 0.8, 0.85)
LOOKALIKE_PRECISION = 0.93  # the bars must keep look-alike events apart this well (ecbplus)
HEADLINE_PRECISION = 0.8


def undated(data: DataSet) -> DataSet:
    """The data set without its dates, in random order: news-headlines-2014 dates every headline
    of a story within seconds and its stories never overlap, a giveaway no real stream offers."""
    from dataclasses import replace

    items = [Item(replace(i.doc, published_at=None), i.gold, i.unit, i.topic) for i in data.items]
    return DataSet(data.name + " (undated)", items, data.note)


def with_headlines(data: DataSet) -> DataSet:
    """The data set plus a headline-only twin (title, no text) of each article with a title:
    what the headline model learns from when the stories hold full texts."""
    from dataclasses import replace

    twins = [
        Item(replace(i.doc, id=i.doc.id + "#title", text=""), i.gold, i.unit, i.topic)
        for i in data.items
        if i.doc.title.strip()
    ]
    return DataSet(data.name + " + headline twins", list(data.items) + twins, data.note)


@dataclass
class Example:
    unit: str
    model: str
    features: dict[str, float]
    label: bool


def teacher_examples(data: DataSet, encoder: Encoder | None) -> list[Example]:
    """Each article placed where the truth says, and its fit to every candidate story recorded."""
    ordered = stream_order(data.items, 0)
    unit = {i.doc.id: i.unit for i in ordered}
    clusterer = StoryClusterer(encoder=encoder, teacher={i.doc.id: i.gold for i in ordered})
    out: list[Example] = []
    for batch in batched((i.doc for i in ordered), 64):
        clusterer.add_many(batch)
        out.extend(
            Example(unit[doc_id], model, features, label)
            for doc_id, model, features, label in clusterer.fit_examples
        )
        clusterer.fit_examples.clear()
    return out


def fit_weights(
    examples: dict[str, list[Example]], encoder: bool, skip: dict[str, set[str]] | None = None
) -> dict[str, dict[str, float]]:
    """Logistic regression (scikit-learn) per model name on the recorded fits; each data set
    weighs the same in all (SemEval gives twice ecbplus's fits, most of them one-article
    groups), and the units in `skip` are left out."""
    from sklearn.linear_model import LogisticRegression

    weights: dict[str, dict[str, float]] = {}
    names = [f for f in jm.FEATURES if encoder or "embedding" not in f]
    for headline in (False, True):
        model_name = jm.model_name(headline=headline, encoder=encoder)
        rows: list[list[float]] = []
        labels: list[bool] = []
        sample: list[float] = []
        for set_name, found in examples.items():
            left_out = (skip or {}).get(set_name, set())
            chosen = [e for e in found if e.model == model_name and e.unit not in left_out]
            if not chosen:
                continue
            rows += [[e.features.get(f, 0.0) for f in names] for e in chosen]
            labels += [e.label for e in chosen]
            sample += [1.0 / len(chosen)] * len(chosen)
        if len(set(labels)) < 2:
            continue
        weight = np.array(sample) / np.mean(sample)
        model = LogisticRegression(C=1.0, max_iter=5000)
        model.fit(np.array(rows), np.array(labels), sample_weight=weight)
        weights[model_name] = {"bias": round(float(model.intercept_[0]), 4)}
        weights[model_name].update(
            {f: round(float(w), 4) for f, w in zip(names, model.coef_[0], strict=True)}
        )
    return weights


def held_out(
    data: DataSet, encoder: Encoder | None, models: Sequence[tuple[set[str], jm.JoinModel]]
) -> tuple[float, float, float]:
    """B-cubed of each fold's articles, clustered among all the others by a model fitted
    without that fold; the folds' mean."""
    gold = [i.gold for i in data.items]
    figures = []
    for fold, (units, model) in enumerate(models):
        ordered = stream_order(data.items, fold)
        pred_ordered, _ = run_actuel(ordered, encoder, model)
        story = {i.doc.id: p for i, p in zip(ordered, pred_ordered, strict=True)}
        precision, recall = bcubed_items([story[i.doc.id] for i in data.items], gold)
        rows = [n for n, i in enumerate(data.items) if i.unit in units]
        p, r = float(precision[rows].mean()), float(recall[rows].mean())
        figures.append((p, r, f1(p, r)))
    mean = np.mean(figures, axis=0)
    return float(mean[0]), float(mean[1]), float(mean[2])


def in_sample(data: DataSet, encoder: Encoder | None, model: jm.JoinModel) -> np.ndarray:
    pred, _ = run_actuel(stream_order(data.items, 0), encoder, model)
    return np.array(bcubed(pred, [i.gold for i in stream_order(data.items, 0)]))


def fit(encoder: Encoder | None) -> None:
    """Fit the weights on every example; choose the bars on all of it (three numbers), then
    report held-out figures: each fold clustered by weights fitted without it."""
    has_encoder = encoder is not None
    sets = {"ecb": load_ecb(), "semeval": load_semeval(), "headlines": undated(load_headlines())}
    training = dict(sets, ecb=with_headlines(sets["ecb"]))
    started = time.perf_counter()
    examples = {name: teacher_examples(data, encoder) for name, data in training.items()}
    print("fit examples: " + ", ".join(f"{n} {len(e):,}" for n, e in examples.items())
          + f" ({time.perf_counter() - started:.0f} s)")  # fmt: skip
    weights = fit_weights(examples, has_encoder)
    text = jm.model_name(headline=False, encoder=has_encoder)
    headline = jm.model_name(headline=True, encoder=has_encoder)
    print(f"\n{'join':>6}{'merge':>7}{'ecb P/R/F1':>24}{'semeval P/R/F1':>24}")
    best: tuple[float, float, float] = (-1.0, 0.5, 0.8)
    for join in JOIN_GRID:
        for merge in MERGE_GRID:
            model = jm.JoinModel(weights, {text: join, headline: 0.5}, merge)
            ecb = in_sample(sets["ecb"], encoder, model)
            semeval = in_sample(sets["semeval"], encoder, model)
            print(f"{join:6.2f}{merge:7.2f}" + "".join(
                f"{x[0]:8.3f}{x[1]:8.3f}{x[2]:8.3f}" for x in (ecb, semeval)))  # fmt: skip
            score = (ecb[2] + semeval[2]) / 2 if ecb[0] >= LOOKALIKE_PRECISION else ecb[2] / 10
            if score > best[0]:
                best = (score, join, merge)
    _, join_text, merge = best
    print(f"\n{'headline join':>14}{'P':>8}{'R':>8}{'F1':>8}")
    chosen: tuple[float, float] = (-1.0, 0.5)
    for join in JOIN_GRID:
        model = jm.JoinModel(weights, {text: join_text, headline: join}, merge)
        found = in_sample(sets["headlines"], encoder, model)
        print(f"{join:14.2f}{found[0]:8.3f}{found[1]:8.3f}{found[2]:8.3f}")
        score = found[2] if found[0] >= HEADLINE_PRECISION else found[2] / 10
        chosen = max(chosen, (score, join))
    bars = {text: join_text, headline: chosen[1]}
    print(f"\nbars: {bars}, merge {merge}; held-out ({FOLDS} folds, topics or stories kept "
          "apart; each fold clustered among all the others):")  # fmt: skip
    for name, data in sets.items():
        units = sorted({i.unit for i in data.items})
        random.Random(0).shuffle(units)
        folds = [set(units[k::FOLDS]) for k in range(FOLDS)]
        models = [
            (fold, jm.JoinModel(fit_weights(examples, has_encoder, {name: fold}), bars, merge))
            for fold in folds
        ]
        p, r, f = held_out(data, encoder, models)
        print(f"  {name:12} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print("\nWEIGHTS and JOIN for src/actuel/stories/join_model.py:")
    print(json.dumps(weights, indent=4))
    print(json.dumps(bars), "MERGE", merge)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--only", default="ecb,headlines,headlines-undated,semeval,wmt,demo")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--fit", action="store_true", help="refit the join model's weights")
    args = parser.parse_args(argv)
    encoder = None if args.no_encoder else default_encoder()
    if args.fit:
        fit(encoder)
        return 0
    # pipelines may run without the encoder: its figures come with the encoder's, to compare
    encoders = [encoder, None] if encoder is not None else [None]
    for name in args.only.split(","):
        if name != "demo" and not CORPORA.is_dir():
            print(f"{CORPORA} is absent: {name} skipped")
            continue
        report(LOADERS[name](), encoders, args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
