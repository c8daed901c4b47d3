"""Stories: quality on the demo corpus and clustering throughput on 10k..100k generated articles.

    python bench/stories_throughput.py [--articles 100000] [--encoder] [--encoder-docs 1000]
                                       [--jsonl 100000] [--skip-demo] [--step 2000] [--load N]

Quality: the demo world's manifest (B-cubed F1 of stories, relation type and direction accuracy,
the original of every story), beside a one-story-per-article anchor. Throughput: articles made in
memory by recombining sentences of the demo corpus and of ../shared/corpora/semeval2022t8-train
into stories of copies, excerpts, rewrites and unrelated reports (never written to disk), fed
through `StoryClusterer` in publication order, with the time and peak RSS at each checkpoint, beside
an anchor in the same run (fingerprinting alone). The encoder's cost is measured separately, on
the demo corpus and on generated articles, beside the same work without it.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from actuel.demo.build import load_world
from actuel.model import StoryDoc
from actuel.stories.batch import cluster_jsonl
from actuel.stories.cluster import StoryClusterer
from actuel.stories.encoder import Encoder
from actuel.stories.fingerprint import fingerprint_many

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CHECKPOINTS = (10_000, 20_000, 50_000, 100_000)


def cpu_seconds(encoder: Encoder | None) -> float:
    """CPU seconds of this process and of the encoder's worker processes, if any."""
    inner = getattr(encoder, "inner", None)
    workers = getattr(inner, "worker_cpu_seconds", None)
    return time.process_time() + (workers() if workers is not None else 0.0)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants now, in MB (Linux /proc; 0 elsewhere)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines()
                          if line.startswith("VmRSS:")) / 1024  # fmt: skip
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the demo corpus ------------------------------------------------------------------------


def demo_docs() -> tuple[list[StoryDoc], dict[str, dict[str, str | None]]]:
    """The demo world's articles in publication order, and the truth about each."""
    world = load_world()
    rows = sorted(world.articles, key=lambda a: (a.published, a.id))
    docs = [a.story_doc() for a in rows]
    truth = {
        a.id: {
            "story": a.story,
            "relation": a.relation,
            "derived_from": a.derived_from,
            "original": a.original,
            "story_original": world.story_original[a.story],
        }
        for a in rows
    }
    return docs, truth


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against the truth."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item, label in predicted.items():
        by_pred.setdefault(label, set()).add(item)
    for item, label in gold.items():
        by_gold.setdefault(label, set()).add(item)
    precision = recall = 0.0
    for item in gold:
        mine, theirs = by_pred[predicted[item]], by_gold[gold[item]]
        shared = len(mine & theirs)
        precision += shared / len(mine)
        recall += shared / len(theirs)
    p, r = precision / len(gold), recall / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def demo_scores(
    rows: Sequence[dict[str, object]], truth: dict[str, dict[str, str | None]]
) -> dict[str, float]:
    """Scores of `cluster_jsonl` answers against the demo manifest."""
    by_id = {str(r["id"]): r for r in rows}
    predicted = {i: str(r["story_id"]) for i, r in by_id.items()}
    gold = {i: str(t["story"]) for i, t in truth.items()}
    p, r, f1 = bcubed(predicted, gold)
    relation = sum(by_id[i]["relation"] == t["relation"] for i, t in truth.items())
    direction = sum(by_id[i]["derived_from"] == t["derived_from"] for i, t in truth.items())
    article_original = sum(by_id[i]["original"] == t["original"] for i, t in truth.items())
    originals_right = 0
    stories = {str(t["story"]) for t in truth.values()}
    for story in sorted(stories):
        members = [i for i, t in truth.items() if t["story"] == story]
        want = truth[members[0]]["story_original"]
        # the predicted story holding the true original must name it as its original
        chosen = by_id[str(want)]
        story_rows = [x for x in rows if x["story_id"] == chosen["story_id"]]
        got = [x["id"] for x in story_rows if x["relation"] == "original"]
        originals_right += got == [want]
    n = len(truth)
    return {
        "bcubed_precision": p,
        "bcubed_recall": r,
        "bcubed_f1": f1,
        "relation_accuracy": relation / n,
        "direction_accuracy": direction / n,
        "article_original_accuracy": article_original / n,
        "stories_with_right_original": originals_right / len(stories),
        "stories": float(len(stories)),
        "predicted_stories": float(len(set(predicted.values()))),
    }


def as_lines(docs: Sequence[StoryDoc]) -> Iterator[str]:
    import json

    for d in docs:
        yield json.dumps(
            {
                "id": d.id,
                "title": d.title,
                "text": d.text,
                "published_at": d.published_at.isoformat() if d.published_at else None,
                "lang": d.lang,
                "source": d.source,
            },
            ensure_ascii=False,
        )


def run_demo(encoder: Encoder | None = None) -> None:
    docs, truth = demo_docs()
    started = time.perf_counter()
    rows = list(cluster_jsonl(as_lines(docs), encoder=encoder))
    elapsed = time.perf_counter() - started
    scores = demo_scores(rows, truth)
    singletons: list[dict[str, Any]] = [
        {
            "id": d.id,
            "story_id": d.id,
            "relation": "original",
            "derived_from": None,
            "original": d.id,
        }
        for d in docs
    ]
    anchor = demo_scores(singletons, truth)
    mode = f"with {encoder.name}" if encoder else "without encoder"
    print(f"\ndemo corpus ({mode}): {len(docs)} articles, {int(scores['stories'])} stories, "
          f"{elapsed:.2f} s")  # fmt: skip
    print(f"{'metric':32} {'actuel':>8} {'anchor: one story each':>24}")
    for name, value in scores.items():
        print(f"{name:32} {value:8.3f} {anchor[name]:24.3f}")
    wrong = [
        (r["id"], r["relation"], r["derived_from"], truth[str(r["id"])]["relation"],
         truth[str(r["id"])]["derived_from"])
        for r in rows
        if r["relation"] != truth[str(r["id"])]["relation"]
        or r["derived_from"] != truth[str(r["id"])]["derived_from"]
    ]  # fmt: skip
    for row in wrong:
        print("  off: {} got {}<-{}, truth {}<-{}".format(*row))
    # where stories went wrong: an article away from its story's original, a story of two
    placed = {str(r["id"]): str(r["story_id"]) for r in rows}
    for article_id, t in truth.items():
        if placed[article_id] != placed[str(t["story_original"])]:
            print(f"  apart: {article_id} not with {t['story_original']} (story {t['story']})")
    held: dict[str, set[str]] = {}
    for article_id, story_id in placed.items():
        held.setdefault(story_id, set()).add(str(truth[article_id]["story"]))
    for story_id, stories in sorted(held.items()):
        if len(stories) > 1:
            print(f"  mixed: {story_id} holds stories {', '.join(sorted(stories))}")


# --- throughput -----------------------------------------------------------------------------


def sentence_pool() -> list[tuple[str, str]]:
    """(lang, sentence) from the demo corpus and, when present, the SemEval training texts."""
    from actuel.stories.text import sentences

    pool: list[tuple[str, str]] = []
    for article in load_world().articles:
        for paragraph in article.paragraphs:
            pool.extend((article.lang, s) for s in sentences(paragraph) if len(s) > 40)
    semeval = SHARED / "semeval2022t8-train" / "training_set.csv"
    if semeval.exists():
        csv.field_size_limit(sys.maxsize)
        with semeval.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for side in ("1", "2"):
                    lang = row[f"lang{side}"]
                    pool.extend(
                        (lang, s) for s in sentences(row[f"text{side}"][:6000]) if len(s) > 40
                    )
    return pool


def generated(count: int, seed: int = 7) -> Iterator[StoryDoc]:
    """`count` articles in publication order: stories of 1-6 articles, ~1,000 articles a day.

    Each sentence of a story is the first half of one pool sentence and the second half of
    another, each half dealt once per pass over the pool (about five days of articles), a quarter of
    its words swapped at random, so that stories share a few phrases now and then, as real ones
    do, yet no two tell the same text. Languages with fewer than 1,000 pool sentences are left
    out: they would repeat.
    """
    rng = random.Random(seed)
    halves: dict[str, tuple[list[str], list[str]]] = {}
    seen: set[str] = set()
    for lang, sentence in sentence_pool():
        words = sentence.split()
        cut = len(words) // 2
        heads, tails = halves.setdefault(lang, ([], []))
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head.lower() in seen or tail.lower() in seen:
            continue  # the pool's articles come in pairs about one story: keep one of each half
        seen.update((head.lower(), tail.lower()))
        heads.append(head)
        tails.append(tail)
    langs = [lang for lang, (heads, _) in halves.items() if len(heads) >= 1000]
    weights = [len(halves[lang][0]) for lang in langs]
    decks: dict[tuple[str, int], list[str]] = {}

    vocabulary = {lang: " ".join(heads + tails).split() for lang, (heads, tails) in halves.items()}

    def mutate(sentence: str, lang: str) -> str:
        # a quarter of the words swapped for others of the language: a half-sentence dealt again
        # five days later shares a few word triples with its first use, not a passage
        words = vocabulary[lang]
        return " ".join(rng.choice(words) if rng.random() < 0.25 else w for w in sentence.split())

    def deal(lang: str, side: int) -> str:
        deck = decks.get((lang, side))
        if not deck:
            deck = decks[(lang, side)] = list(halves[lang][side])
            rng.shuffle(deck)
        return deck.pop()

    start = datetime(2026, 1, 1, tzinfo=UTC)
    outlets = [f"Outlet {n}" for n in range(60)]
    made = story = 0
    while made < count:
        story += 1
        lang = rng.choices(langs, weights)[0]
        lines = [
            mutate(f"{deal(lang, 0)} {deal(lang, 1)}", lang) for _ in range(rng.randint(6, 14))
        ]
        title = " ".join(lines[0].split()[:4] + lines[1].split()[-6:])
        when = start + timedelta(minutes=made * 1.44)  # 1,000 articles a day
        base = StoryDoc(f"g{story}-0", title, "\n".join(lines), None, when, lang,
                        rng.choice(outlets))  # fmt: skip
        yield base
        made += 1
        for k in range(1, rng.choice((1, 1, 2, 3, 4, 6))):
            if made >= count:
                return
            kind = rng.random()
            if kind < 0.4:  # a copy in another template
                text = "Publicité\n" + base.text + "\nPartager cet article"
            elif kind < 0.7:  # an excerpt
                text = " ".join(base.text.split()[: rng.randint(30, 80)]) + "…"
            else:  # a light rewrite: words dropped, the title reworded
                text = " ".join(w for w in base.text.split() if rng.random() > 0.15)
            retitled = " ".join(w for w in title.split() if rng.random() > 0.3) or title
            yield StoryDoc(f"g{story}-{k}", title if kind < 0.7 else retitled, text, None,
                           when + timedelta(minutes=20 * k), lang, rng.choice(outlets))  # fmt: skip
            made += 1


def run_throughput(total: int, encoder: Encoder | None = None) -> None:
    marks = [c for c in CHECKPOINTS if c <= total] or [total]
    docs = list(generated(total))
    mode = f"with {encoder.name}" if encoder else "without encoder"
    print(f"\nthroughput ({mode}): {total} generated articles, {rss_mb():.0f} MB peak RSS "
          f"before clustering")  # fmt: skip
    if encoder is not None:
        encoder.encode(["warm-up: load the weights"])
    anchor_n = min(5_000, total)
    started = time.perf_counter()
    for chunk in range(0, anchor_n, 64):
        fingerprint_many(docs[chunk : chunk + 64])
    anchor_rate = anchor_n / (time.perf_counter() - started)
    print(f"anchor: fingerprinting alone, {anchor_rate:.0f} articles/s over {anchor_n}")
    clusterer = StoryClusterer(encoder=encoder)
    started, cpu = time.perf_counter(), cpu_seconds(encoder)
    done = 0
    # CPU time beside wall time: on a shared machine, CPU time is the steadier figure (the
    # encoder's worker processes included; their memory is not in the peak RSS)
    print(f"{'articles':>9} {'seconds':>8} {'articles/s':>11} {'CPU s':>8} {'per CPU s':>10} "
          f"{'peak RSS MB':>12} {'stories':>8}")  # fmt: skip
    # the next batch is embedded while one is placed
    placed = clusterer.add_stream(batches_to(marks, docs, 64))
    for mark in marks:
        while done < mark:
            batch, _ = next(placed)
            done += len(batch)
        elapsed, used = time.perf_counter() - started, cpu_seconds(encoder) - cpu
        stories = len({clusterer.story_of(d.id) for d in docs[:done]})
        print(f"{done:9d} {elapsed:8.1f} {done / elapsed:11.0f} {used:8.1f} {done / used:10.0f} "
              f"{rss_mb():12.0f} {stories:8d}")  # fmt: skip
    gold = {d.id: d.id.split("-")[0] for d in docs}
    predicted = {d.id: clusterer.story_of(d.id) for d in docs}
    p, r, f1 = bcubed(predicted, gold)
    sizes = Counter(predicted.values())
    print(f"generated stories: B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f}; "
          f"largest story {max(sizes.values())} articles")  # fmt: skip


def batches_to(marks: Sequence[int], docs: list[StoryDoc], size: int) -> Iterator[list[StoryDoc]]:
    """The articles in batches of at most `size`, none crossing a checkpoint."""
    begin = 0
    for mark in marks:
        while begin < mark:
            end = min(begin + size, mark)
            yield docs[begin:end]
            begin = end


@contextmanager
def busy_cores(count: int) -> Iterator[None]:
    """`count` processes spinning on a core each meanwhile, as other work on the machine would."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def run_jsonl(total: int) -> None:
    """`actuel cluster` itself, as a user runs it: a JSON lines file in, one answer per line out.

    The file is written to a temporary folder (deleted afterwards) and the command runs in its own
    process with the encoder as the settings choose (ACTUEL_STORIES_ENCODER, default auto); its
    time and peak memory are printed beside the goal (100,000 articles in 15 minutes, 4 GB).
    """
    import json
    import tempfile

    docs = list(generated(total))
    with tempfile.TemporaryDirectory() as folder:
        given, answers = Path(folder) / "articles.jsonl", Path(folder) / "stories.jsonl"
        with given.open("w", encoding="utf-8") as out:
            for line in as_lines(docs):
                out.write(line + "\n")
        command = [sys.executable, "-m", "actuel", "cluster", "--input", str(given),
                   "--output", str(answers), "--quiet"]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(command)
        peak = 0.0  # the command and its encoder workers together, sampled twice a second
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.5)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        with answers.open(encoding="utf-8") as rows:
            predicted = {row["id"]: row["story_id"] for row in map(json.loads, rows)}
    _, _, f1 = bcubed(predicted, {d.id: d.id.split("-")[0] for d in docs})
    rate = len(predicted) / elapsed
    verdict = "met" if rate >= 110 and peak < 4096 else "NOT met"
    print(f"\nactuel cluster: {len(predicted)} articles in {elapsed:.1f} s, {cpu:.1f} CPU-s "
          f"({rate:.0f} articles/s), peak RSS {peak:.0f} MB with its encoder workers, B-cubed "
          f"F1 {f1:.3f} | goal for "
          f"100,000: under 15 minutes (>= 110 articles/s) and 4 GB: {verdict}")  # fmt: skip


def run_encoder_cost(count: int) -> None:
    """Clustering with the encoder beside clustering without it, on the same articles."""
    from actuel.stories.encoder import default_encoder

    encoder = default_encoder()
    if encoder is None:
        print("\nencoder: not installed or turned off; skipped")
        return
    docs = list(generated(count, seed=11))
    print(f"\nencoder ({encoder.name}) on {count} generated articles:")
    for label, chosen in (("without encoder", None), ("with encoder", encoder)):
        clusterer = StoryClusterer(encoder=chosen)
        started = time.perf_counter()
        for chunk in range(0, count, 32):
            clusterer.add_many(docs[chunk : chunk + 32])
        elapsed = time.perf_counter() - started
        predicted = {d.id: clusterer.story_of(d.id) for d in docs}
        _, _, f1 = bcubed(predicted, {d.id: d.id.split("-")[0] for d in docs})
        print(f"  {label:16} {elapsed:7.1f} s  {count / elapsed:7.1f} articles/s  "
              f"B-cubed F1 {f1:.3f}  peak RSS {rss_mb():.0f} MB")  # fmt: skip


def run_step(total: int, *, encoder: bool = False) -> None:
    """The stories step as ingest runs it: the demo world grown with `total` synthetic articles
    (recombined demo paragraphs, so they form big stories), stored in a new SQLite file, then
    placed 64 at a time by `StoriesStep` (clustering, provenance, member rows, credits, quotes).
    The anchor, in the same run, is storing the same articles (what ingest does without stories).
    """
    import tempfile

    from actuel.config import load_settings
    from actuel.model import Article, Source, SourceKind
    from actuel.pipeline.stories_step import STORIES_BATCH, StoriesStep
    from actuel.store import Store

    world = load_world(synthetic_articles=total)
    rows = sorted(world.articles, key=lambda a: (a.published, a.id))
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "step.db")
        settings = load_settings(
            environ={}, db=db, stories=True, stories_encoder="auto" if encoder else "none"
        )
        with Store.open(db, settings) as store:
            sources = {}
            for outlet in world.outlets:
                added = store.sources.add(
                    Source(url=f"https://{outlet.id}.example/feed", name=outlet.name,
                           kind=SourceKind.FEED, lang=outlet.lang)
                )  # fmt: skip
                sources[outlet.id] = added
            started, cpu = time.perf_counter(), time.process_time()
            docs: list[StoryDoc] = []
            with store.batch():
                for a in rows:
                    source = sources[a.outlet.id]
                    assert source.id is not None
                    url = f"https://{a.outlet.id}.example{a.path}"
                    article = Article(source_id=source.id, url=url, canonical_url=url,
                                      title=a.title, text="\n\n".join(a.paragraphs),
                                      published_at=a.published, language=a.lang,
                                      first_seen_at=a.published)  # fmt: skip
                    article_id, _ = store.articles.upsert(article)
                    docs.append(StoryDoc(str(article_id), a.title, article.text or "", url,
                                         a.published, a.lang, source.name,
                                         a.published))  # fmt: skip
            store_s, store_cpu = time.perf_counter() - started, time.process_time() - cpu
            step = StoriesStep(store, settings)
            step.ready()
            if step.encoder is not None:  # ingest embeds in its fetch workers (`warm`) beforehand
                step.encoder.encode(["warm-up: load the weights"])
            started, cpu = time.perf_counter(), cpu_seconds(step.encoder)
            for chunk in range(0, len(docs), STORIES_BATCH):
                with store.batch():
                    step.place_many(docs[chunk : chunk + STORIES_BATCH])
            step_s, step_cpu = time.perf_counter() - started, cpu_seconds(step.encoder) - cpu
            largest = max(s.article_count for s in store.stories.latest(limit=100_000))
    n = len(docs)
    mode = "with encoder" if encoder else "no encoder"
    print(f"\nstories step (ingest path, {mode}): {n} articles, batches of {STORIES_BATCH}, "
          f"largest story {largest} articles")  # fmt: skip
    # CPU time as well as wall time: on a shared machine, CPU time is the steadier figure
    print(f"{'ms/article':22} {'wall':>7} {'CPU':>7}")
    print(f"  stories step       {1000 * step_s / n:7.2f} {1000 * step_cpu / n:7.2f}")
    print(f"  anchor: storing    {1000 * store_s / n:7.2f} {1000 * store_cpu / n:7.2f}")
    print(f"  ratio step / store {step_s / store_s:7.2f} {step_cpu / store_cpu:7.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--encoder-docs", type=int, default=1000)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument(
        "--encoder", action="store_true", help="cluster the generated articles with the encoder"
    )
    parser.add_argument(
        "--step", type=int, default=0, help="also time the ingest's stories step on the demo "
        "world grown with this many synthetic articles"
    )  # fmt: skip
    parser.add_argument(
        "--jsonl", type=int, default=0, help="also time `actuel cluster` on this many articles"
    )
    parser.add_argument(
        "--load", type=int, default=0, metavar="N",
        help="keep N other processes busy on a core each during the throughput run",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not args.skip_demo:
        from actuel.stories.encoder import default_encoder

        run_demo()
        encoder = default_encoder()
        if encoder is not None:
            run_demo(encoder)
    if args.articles:
        from actuel.stories.encoder import default_encoder

        chosen = default_encoder() if args.encoder else None
        if args.encoder and chosen is None:
            print("\nencoder: not installed or turned off; throughput without it")
        if args.load:
            print(f"\n{args.load} other process(es) spinning on a core each meanwhile")
        with busy_cores(args.load):
            run_throughput(args.articles, chosen)
    if args.jsonl:
        run_jsonl(args.jsonl)
    if args.step:
        run_step(args.step)
        run_step(args.step, encoder=True)
    if args.encoder_docs:
        run_encoder_cost(args.encoder_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
