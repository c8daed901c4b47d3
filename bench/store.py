"""Store throughput on SQLite (and PostgreSQL when a URL is given) beside a bare sqlite3 anchor.

    python bench/store.py [--articles 3000] [--postgres postgresql://postgres@127.0.0.1:5432/test]

Anchor: the same rows written with bare sqlite3, one transaction per article, no search index, no
conflict handling: what a store of this shape cannot beat. Then the store's upsert (one transaction,
FTS maintained, raw page compressed), a second pass over the same articles (all already known),
timeline pages and searches. PostgreSQL runs in a throwaway schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sqlite3
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from actuel.config import load_settings
from actuel.model import Article, Source
from actuel.store import Store

WORDS = [
    "élection",
    "maire",
    "conseil",
    "région",
    "département",
    "préfet",
    "école",
    "hôpital",
    "route",
    "tramway",
    "budget",
    "santé",
    "culture",
    "festival",
    "météo",
    "incendie",
    "pompiers",
    "police",
    "justice",
    "tribunal",
    "agriculture",
    "vendanges",
]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
HTML = b"<html><body>" + b"<p>Paragraphe de l'article avec du texte.</p>" * 700 + b"</body></html>"


def articles(source_id: int, count: int) -> list[Article]:
    rnd = random.Random(1)
    return [
        Article(
            source_id=source_id,
            url=f"https://bench.example/{n}?utm_source=rss",
            canonical_url=f"https://bench.example/{n}",
            guid=f"urn:bench:{n}",
            title=f"Titre {n} {rnd.choice(WORDS)}",
            text=" ".join(rnd.choice(WORDS) for _ in range(500)) + f" rare{n}",
            published_at=T0 + timedelta(minutes=n),
            language="fr",
            content_hash=f"hash-{n}",
        )
        for n in range(count)
    ]


def anchor(items: list[Article], folder: Path) -> float:
    conn = sqlite3.connect(folder / "anchor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, url TEXT, canonical_url TEXT UNIQUE, guid TEXT, "
        "title TEXT, text TEXT, published_at TEXT, html BLOB)"
    )
    start = time.perf_counter()
    for a in items:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO a (url, canonical_url, guid, title, text, published_at, html) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (a.url, a.canonical_url, a.guid, a.title, a.text, str(a.published_at), HTML),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def measure(db: str, count: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with Store.open(db, load_settings(environ={})) as store:
        source = store.sources.add(Source(url="https://bench.example/rss", name="Bench"))
        assert source.id is not None
        items = articles(source.id, count)
        start = time.perf_counter()
        for a in items:
            store.articles.upsert(a, raw_html=HTML, content_type="text/html")
        figures["insert_s"] = time.perf_counter() - start
        start = time.perf_counter()
        for a in items:
            store.articles.upsert(a)
        figures["again_s"] = time.perf_counter() - start
        start = time.perf_counter()
        store.articles.latest(limit=50)
        figures["first_page_ms"] = (time.perf_counter() - start) * 1000
        cursor = (T0 + timedelta(minutes=count // 10), count // 10)
        start = time.perf_counter()
        store.articles.latest(limit=50, before=cursor)
        figures["deep_page_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        for word in WORDS[:10]:
            store.search.hits(f"{word} {WORDS[-1]}")
        figures["search_common_ms"] = (time.perf_counter() - start) * 100
        start = time.perf_counter()
        store.search.hits(f"rare{count // 2}")
        figures["search_rare_ms"] = (time.perf_counter() - start) * 1000
        assert store.articles.count() == count
    return figures


def report(name: str, count: int, figures: dict[str, float]) -> None:
    print(
        f"{name:10s} insert {count / figures['insert_s']:6.0f} articles/s, "
        f"known again {count / figures['again_s']:6.0f}/s, "
        f"timeline first page {figures['first_page_ms']:.1f} ms, "
        f"deep page {figures['deep_page_ms']:.1f} ms, "
        f"search common words {figures['search_common_ms']:.1f} ms, "
        f"rare word {figures['search_rare_ms']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--postgres", help="a postgresql:// URL to measure too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = articles(1, args.articles)
        anchor_s = anchor(items, folder)
        print(
            f"anchor     bare sqlite3 insert {args.articles / anchor_s:6.0f} articles/s "
            f"({args.articles} articles, {len(items[0].text) // 1000} KB text, "
            f"{len(HTML) // 1000} KB page; store pages compress to "
            f"{len(zlib.compress(HTML, 6)) // 1000 or 1} KB)"
        )
        sqlite_figures = measure(str(folder / "store.db"), args.articles)
        report("sqlite", args.articles, sqlite_figures)
        print(f"           store/anchor insert rate: {anchor_s / sqlite_figures['insert_s']:.2f}x")
    if args.postgres:
        import psycopg

        schema = "actuel_bench_" + secrets.token_hex(4)
        base = args.postgres.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in base else "?"
        url = f"{base}{separator}options=-csearch_path%3D{schema},public"
        try:
            report("postgresql", args.articles, measure(url, args.articles))
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
