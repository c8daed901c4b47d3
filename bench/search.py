"""Search latency on 100,000 synthetic French and English articles, against the goal p95 < 50 ms.

    python bench/search.py [--articles 100000] [--queries 400] [--db PATH] [--skip-sqlite]
                           [--postgres URL [--postgres-articles N] [--postgres-schema NAME]]

The corpus is generated here from word lists written for this bench (news words of both
languages in several inflections, function words, invented place and person names), with news
lengths: titles of 6-12 words, summaries of 20-40, texts of 150-900. 70 % French, 30 % English.
Each article is about a few topics, so a news word is in a few percent of the articles, as in a
real archive. Queries are 1-3 words a reader would type (news words in another inflection or
without accents, names), never function words. Each query runs through store.search.page, as the
page /search does: ranking, filters, story grouping, snippets.

Anchor, same run: the store's ranking query alone on bare sqlite3 (the newest 2,000 matches of
the same keys, top 21 by bm25; no filters, stories or snippets), what the store cannot beat;
on PostgreSQL, the first 21 matches the GIN index finds, unordered (the index and heap's speed
under the machine's load). Each check prints CPU per query: this process, and on PostgreSQL the
server's backend too (same machine).
With --db PATH the corpus is kept and reused (delete the file to rebuild it); likewise with
--postgres-schema NAME on PostgreSQL (drop the schema to rebuild it).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from actuel.config import Settings, load_settings
from actuel.model import Article, Source
from actuel.store import SearchFilters, Store
from actuel.store.search import terms
from actuel.store.stemming import index_text, query_keys

GOAL_P95_MS = 50.0
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _words(text: str) -> list[str]:
    return text.split()


FR_NEWS = _words(
    "élection élections électeurs électoral maire maires mairie conseil municipal "
    "municipaux région régional régionaux département préfet préfecture gouvernement "
    "ministre ministres président présidente assemblée député députés sénat sénateur loi "
    "lois budget budgets impôt impôts économie économique entreprise entreprises emploi "
    "emplois chômage salariés grève grèves syndicat syndicats manifestation manifestations "
    "police policiers gendarmerie justice tribunal procès avocat enquête enquêtes victime "
    "victimes accident accidents incendie incendies pompiers secours hôpital hôpitaux santé "
    "médecin médecins patients école écoles collège lycée lycéens université étudiants "
    "enseignants éducation culture festival festivals concert concerts musée musées théâtre "
    "cinéma exposition sport sports football rugby cyclisme match matchs équipe équipes "
    "championnat victoire défaite joueur joueurs entraîneur stade météo orage orages "
    "tempête pluie chaleur sécheresse agriculture agriculteurs récolte récoltes vendanges "
    "vignoble élevage transport transports tramway train trains autoroute route routes "
    "travaux chantier logement logements immobilier quartier quartiers habitants commune "
    "communes village villages environnement climat énergie électricité nucléaire éolien "
    "pollution forêt forêts rivière inondation inondations commerce commerces marché "
    "marchés boulangerie association associations bénévoles solidarité retraite retraités "
    "jeunesse famille familles naissance décès hommage cérémonie anniversaire patrimoine "
    "église château"
)
EN_NEWS = _words(
    "election elections voters electoral mayor mayors council councils city cities county "
    "governor government minister ministers president parliament senate senator law laws "
    "budget budgets tax taxes economy economic company companies business jobs unemployment "
    "workers strike strikes union unions protest protests police officers court courts "
    "trial lawyer investigation investigations victim victims accident accidents fire fires "
    "firefighters rescue hospital hospitals health doctor doctors patients school schools "
    "college university students teachers education culture festival festivals concert "
    "concerts museum museums theatre cinema exhibition sport sports football rugby cycling "
    "match matches team teams championship victory defeat player players coach stadium "
    "weather storm storms rain heat drought farming farmers harvest harvests vineyard "
    "transport tram train trains motorway road roads construction housing homes property "
    "neighbourhood residents village villages environment climate energy electricity "
    "nuclear wind pollution forest forests river flood floods flooding trade shops market "
    "markets charity charities volunteers retirement pensioners youth family families birth "
    "death tribute ceremony anniversary heritage church castle running runner runners ran"
)
FR_FUNCTION = _words(
    "le la les de des du un une et en à au aux pour sur dans par avec qui que ne pas plus "
    "est sont a ont été être cette ce ces son sa ses leur leurs il elle ils elles on nous "
    "mais ou où comme après avant depuis selon lors entre sans sous tout tous très aussi"
)
EN_FUNCTION = _words(
    "the of and to in a is that for on with as by at from it was were be been has have had "
    "this these its their they he she we but or not more after before since during between "
    "without under all very also which who will would said says"
)
SYLLABLES = _words(
    "ba be bi bo ker mor val lan dre san tor vil mon gar rou cha sel fon lu ni ta ve"
)


def names(count: int, rnd: random.Random) -> list[str]:
    """Invented place and person names, most frequent first."""
    found: dict[str, None] = {}
    while len(found) < count:
        parts = rnd.randint(2, 4)
        found["".join(rnd.choice(SYLLABLES) for _ in range(parts)).capitalize()] = None
    return list(found)


class Corpus:
    """Deterministic synthetic articles and reader queries."""

    def __init__(self, seed: int = 7) -> None:
        self.rnd = random.Random(seed)
        self.names = names(20_000, self.rnd)
        weights = [1 / (rank + 1) for rank in range(len(self.names))]  # Zipf
        self.name_weights = list(_cumulative(weights))

    def name(self) -> str:
        return self.rnd.choices(self.names, cum_weights=self.name_weights)[0]

    def words(self, count: int, news: list[str], function: list[str], topic: list[str]) -> str:
        out = []
        for _ in range(count):
            roll = self.rnd.random()
            if roll < 0.5:
                out.append(self.rnd.choice(function))
            elif roll < 0.8:
                out.append(self.rnd.choice(topic))
            elif roll < 0.9:
                out.append(self.rnd.choice(news))
            else:
                out.append(self.name())
        return " ".join(out)

    def article(self, source_id: int, n: int) -> Article:
        french = self.rnd.random() < 0.7
        news, function = (FR_NEWS, FR_FUNCTION) if french else (EN_NEWS, EN_FUNCTION)
        topic = self.rnd.sample(news, 8) + [self.name() for _ in range(3)]
        title = self.words(self.rnd.randint(6, 12), news, function, topic)
        summary = self.words(self.rnd.randint(20, 40), news, function, topic)
        sentences = [
            self.words(self.rnd.randint(8, 25), news, function, topic).capitalize() + "."
            for _ in range(self.rnd.randint(10, 45))
        ]
        return Article(
            source_id=source_id,
            url=f"https://bench.example/{source_id}/{n}",
            canonical_url=f"https://bench.example/{source_id}/{n}",
            guid=f"urn:bench:{n}",
            title=title.capitalize(),
            summary=summary.capitalize() + ".",
            text=" ".join(sentences),
            published_at=T0 + timedelta(minutes=5 * n),
            language="fr" if french else "en",
            content_hash=f"hash-{n}",
        )

    def query(self) -> str:
        count = self.rnd.choice((1, 1, 2, 2, 2, 3))
        news = FR_NEWS if self.rnd.random() < 0.7 else EN_NEWS
        words = []
        for _ in range(count):
            if self.rnd.random() < 0.75:
                word = self.rnd.choice(news)
                roll = self.rnd.random()
                if roll < 0.3:
                    word = word.upper()
                elif roll < 0.5:  # typed without accents
                    word = word.translate(str.maketrans("éèêàâîôûç", "eeeaaiouc"))
                words.append(word)
            else:
                words.append(self.name())
        return " ".join(words)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def build(store: Store, count: int, corpus: Corpus) -> float:
    """Fill the store; seconds spent, for the articles/s figure."""
    sources = [
        store.sources.add(Source(url=f"https://bench.example/{n}/rss", name=f"Média {n}"))
        for n in range(10)
    ]
    start = time.perf_counter()
    done = 0
    while done < count:
        with store.batch():
            for n in range(done, min(count, done + 1000)):
                source = sources[n % len(sources)]
                assert source.id is not None
                store.articles.upsert(corpus.article(source.id, n))
        done = min(count, done + 1000)
        if done % 10_000 == 0:
            print(f"  {done} articles stored", flush=True)
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(queries: list[str], run: Callable[[str], object]) -> list[float]:
    samples = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bare_fts(path: str) -> Callable[[str], object]:
    """The store's ranking query alone, on bare sqlite3: no filters, story lookup or snippets."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = (
        "SELECT id FROM (SELECT rowid AS id, bm25(articles_fts, 10.0, 2.0, 1.0, 0.0) AS score "
        "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 2000) "
        "ORDER BY score LIMIT 21"
    )

    def run(query: str) -> object:
        groups = [query_keys(word, None) for word in terms(query)]
        words = " AND ".join("(" + " OR ".join(f'"{k}"' for k in g) + ")" for g in groups)
        return conn.execute(sql, ("{title summary text} : (" + words + ")",)).fetchall()

    return run


def report(name: str, samples: list[float]) -> float:
    p50, p95, p99 = percentiles(samples)
    print(f"{name:38s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms", flush=True)
    return p95


def measure(
    store: Store,
    queries: list[str],
    label: str,
    anchor: tuple[str, Callable[[str], object]] | None,
    server_cpu: Callable[[], float] | None = None,
) -> None:
    middle = T0 + timedelta(days=180)
    checks = {
        f"{label}: search_page(q)": lambda q: store.search.page(q),
        f"{label}: + language filter": lambda q: store.search.page(q, SearchFilters(lang="fr")),
        f"{label}: + outlet and dates": lambda q: store.search.page(
            q, SearchFilters(source_id=3, since=T0, until=middle)
        ),
        f"{label}: page 3 (offset 40)": lambda q: store.search.page(q, offset=40),
    }
    for run in checks.values():  # warm the page cache once
        run(queries[0])
    found = [len(store.search.page(q).hits) for q in queries]
    print(f"{label}: {sum(1 for n in found if n)} of {len(queries)} queries find something")
    main_p95 = 0.0
    print(f"load: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (uptime, 1 min)")
    for name, run in checks.items():
        before = _cpu(server_cpu)
        samples = timed(queries, run)
        client, server = (b - a for a, b in zip(before, _cpu(server_cpu), strict=True))
        p95 = report(name, samples)
        main_p95 = main_p95 or p95
        slowest = max(range(len(samples)), key=samples.__getitem__)
        cpu = f"CPU {client / len(queries) * 1000:.1f} ms/query here"
        if server_cpu is not None:
            cpu += f" + {server / len(queries) * 1000:.1f} in the server"
        print(f"{'':38s} {cpu}; slowest {samples[slowest]:.1f} ms: {queries[slowest]!r}")
    if anchor is not None:
        anchor_name, anchor_run = anchor
        anchor_p95 = report(f"anchor: {anchor_name}", timed(queries, anchor_run))
        print(f"ratio store p95 / anchor p95            : {main_p95 / anchor_p95:.1f}x")
    print(
        f"ratio store p95 / goal {GOAL_P95_MS:.0f} ms            : "
        f"{main_p95 / GOAL_P95_MS:.2f} (goal <= 1.00)"
    )


def _cpu(server_cpu: Callable[[], float] | None) -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of the database server's backend."""
    times = os.times()
    return times.user + times.system, server_cpu() if server_cpu is not None else 0.0


def backend_cpu(store: Store) -> Callable[[], float]:
    """The CPU seconds of the PostgreSQL backend serving the store (same machine, one
    connection reused: the bench searches one at a time)."""
    with store._engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    ticks = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return seconds


def gin_first(url: str) -> Callable[[str], object]:
    """Anchor: the first 21 articles the GIN index finds for the query, unordered, on psycopg."""
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    sql = (
        "SELECT id FROM articles WHERE search_vector @@ "
        "(plainto_tsquery('actuel_fr', %(q)s) || plainto_tsquery('actuel_en', %(q)s) "
        "|| plainto_tsquery('actuel_search', %(q)s)) LIMIT 21"
    )
    return lambda query: conn.execute(sql, {"q": query}).fetchall()


def index_cost(corpus: Corpus, count: int = 2000) -> None:
    """What the stemmed index costs an article on the ingest path (keys only, in Python)."""
    items = [corpus.article(1, n) for n in range(count)]
    start = time.perf_counter()
    for a in items:
        for text in (a.title, a.summary, a.text):
            index_text(text, a.language)
    per_article = (time.perf_counter() - start) / count * 1e6
    chars = sum(len(a.text) for a in items) // count
    print(f"index keys (fold + stem) per article  : {per_article:.0f} µs ({chars} chars of text)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--db", help="SQLite file to build (or reuse when it exists)")
    parser.add_argument("--postgres", help="a postgresql:// URL to measure too")
    parser.add_argument("--postgres-articles", type=int, help="corpus size there (default: same)")
    parser.add_argument("--postgres-schema", help="schema to build (or reuse when it exists)")
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args()
    settings = load_settings(environ={})
    query_corpus = Corpus(seed=99)
    queries = [query_corpus.query() for _ in range(args.queries)]
    index_cost(Corpus(seed=3))
    if not args.skip_sqlite:
        _sqlite(args.db, args.articles, queries, settings)
    if args.postgres:
        count = args.postgres_articles or args.articles
        _postgres(args.postgres, count, queries, settings, args.postgres_schema)


def _sqlite(db: str | None, count: int, queries: list[str], settings: Settings) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "search.db")
        fresh = not Path(path).exists()
        with Store.open(path, settings) as store:
            if fresh:
                seconds = build(store, count, Corpus())
                print(
                    f"sqlite: stored {count} articles in {seconds:.0f} s "
                    f"({count / seconds:.0f} articles/s, index maintained)"
                )
            print(
                f"sqlite: {store.articles.count()} articles, {Path(path).stat().st_size >> 20} MB"
            )
            measure(store, queries, "sqlite", ("bare FTS5 ranking (sqlite3)", bare_fts(path)))


def _postgres(
    url: str, count: int, queries: list[str], settings: Settings, keep: str | None
) -> None:
    import psycopg

    schema = keep or "actuel_bench_" + secrets.token_hex(4)
    base = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        fresh = not conn.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
        ).fetchone()
        if fresh:
            conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema},public"
    try:
        with Store.open(url, settings) as store:
            if fresh:
                seconds = build(store, count, Corpus())
                print(f"postgresql: stored {count} articles in {seconds:.0f} s")
                with psycopg.connect(base, autocommit=True) as conn:
                    # as autovacuum would soon: the planner's statistics, the visibility map
                    conn.execute(f"VACUUM ANALYZE {schema}.articles")
            print(f"postgresql: {store.articles.count()} articles (schema {schema})")
            anchor = ("GIN match, first 21 (psycopg)", gin_first(url))
            measure(store, queries, "postgresql", anchor, backend_cpu(store))
    finally:
        if keep is None:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
