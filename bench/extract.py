"""Extraction quality and speed on the Zyte article benchmark: actuel's extract_page beside bare
trafilatura and readability-lxml, scored with the benchmark's own token-shingle metric.

    python bench/extract.py [--limit N] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura
from readability import Document

from actuel.extract import extract_page
from actuel.extract.evaluate import score_corpus, score_document

DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpora" / "zyte-article-benchmark"
)


def load(corpus: Path, limit: int | None) -> list[tuple[str, str, str]]:
    """(url, html, expected text) per page, in ground-truth order."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    items = list(truth.items())[:limit]
    out = []
    for item_id, record in items:
        with gzip.open(corpus / "html" / f"{item_id}.html.gz", "rt", encoding="utf-8") as fh:
            out.append((record["url"], fh.read(), record["articleBody"]))
    return out


def ours(html: str, url: str) -> str:
    return extract_page(html, url=url).text


def bare_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def readability_lxml(html: str, url: str) -> str:
    summary = Document(html, url=url).summary(html_partial=True)
    return str(lxml.html.fromstring(summary).text_content()) if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "actuel extract_page": ours,
    "trafilatura.extract (defaults)": bare_trafilatura,
    "readability-lxml": readability_lxml,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not (args.corpus / "ground-truth.json").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    pages = load(args.corpus, args.limit)
    print(
        f"zyte-article-benchmark: {len(pages)} pages (published F1: trafilatura 0.958, "
        "readability-lxml 0.922)"
    )
    print(f"{'extractor':32} {'F1':>6} {'±':>6} {'prec':>6} {'rec':>6} {'exact':>6} {'pages/s':>8}")
    for name, extractor in EXTRACTORS.items():
        scores = []
        started = time.perf_counter()
        for url, html, expected in pages:
            try:
                found = extractor(html, url)
            except Exception:
                found = ""
            scores.append(score_document(expected, found))
        elapsed = time.perf_counter() - started
        s = score_corpus(scores)
        print(
            f"{name:32} {s.f1:6.3f} {s.f1_std:6.3f} {s.precision:6.3f} {s.recall:6.3f} "
            f"{s.accuracy:6.3f} {len(pages) / elapsed:8.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
