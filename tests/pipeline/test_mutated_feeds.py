"""A pass over 1,000 feeds, 900 of them mutated (flipped bytes, cuts, repeats, hostile fragments):
every source ends stored or in a named error state, and the good feeds' articles are all there."""

from __future__ import annotations

import random

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind, SourceState
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from tests.support.loopback import Loopback, Reply

GOOD, MUTATED = 100, 900
FRAGMENTS = [
    b"<", b">", b"&", b"]]>", b"<![CDATA[", b"\x00", b"\xed\xa0\x80", b"\xff\xfe",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&bogus;", b"<item>", b"</channel>", b"xmlns:x='\xed\xa0/'",
    b'<?xml version="1.0" encoding="bogus"?>', b"<rdf:RDF ", b"\n" * 3,
]  # fmt: skip


def feed(base: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>Nouvelle {n}-{i} de la région</title><link>{base}/f{n}/a{i}</link>"
        f"<guid>f{n}-{i}</guid><pubDate>Tue, 24 Nov 2026 0{i}:00:00 GMT</pubDate>"
        f"<description>Résumé {n}-{i} : la foire de Téréna ouvre, dit l'article {i}."
        f"</description></item>"
        for i in range(3)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Flux {n}</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def mutate(data: bytes, rng: random.Random) -> bytes:
    body = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        how = rng.randrange(4)
        at = rng.randrange(len(body) + 1)
        if how == 0 and body:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                body[rng.randrange(len(body))] = rng.randrange(256)
        elif how == 1:  # cut
            del body[at:]
        elif how == 2 and body:  # repeat a slice
            end = min(len(body), at + rng.randint(1, 200))
            body[at:at] = body[at:end] * rng.randint(1, 3)
        else:  # a hostile fragment
            body[at:at] = rng.choice(FRAGMENTS)
    return bytes(body)


def test_a_thousand_feeds_most_of_them_broken_each_end_stored_or_named(
    loopback: Loopback, settings: Settings
) -> None:
    rng = random.Random(20261207)
    base = loopback.base_url
    rss = {"Content-Type": "application/rss+xml"}
    for n in range(GOOD + MUTATED):
        body = feed(base, n) if n < GOOD else mutate(feed(base, n), rng)
        loopback.route(f"/f{n}.xml", Reply(headers=rss, body=body))
    settings = settings.replace(fetch_pages=False, fetch_concurrency=8)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        sources = [
            store.sources.add(
                Source(url=loopback.url(f"/f{n}.xml"), name=f"Flux {n}", kind=SourceKind.FEED)
            )
            for n in range(GOOD + MUTATED)
        ]
        with Ingestor(store, fetcher, settings) as ingestor:
            report = ingestor.run_pass(sources)
        assert len(report.sources) == GOOD + MUTATED
        states = {s.url: s for s in store.sources.all()}
        failed = 0
        for result in report.sources:
            source = states[result.source.url]
            if result.error:
                failed += 1
                assert f"source {source.id}" in result.error
                assert source.state in (SourceState.ERROR, SourceState.DISABLED)
                assert source.last_error
            else:
                assert source.state == SourceState.ACTIVE
        good_urls = {loopback.url(f"/f{n}.xml") for n in range(GOOD)}
        assert not [r.error for r in report.sources if r.source.url in good_urls and r.error]
        stored = {a.url for a in store.articles.latest(limit=100_000)}
        wanted = {f"{base}/f{n}/a{i}" for n in range(GOOD) for i in range(3)}
        assert wanted <= stored, sorted(wanted - stored)[:5]
        assert 0 < failed < MUTATED  # most mutations break the feed; some leave it readable
