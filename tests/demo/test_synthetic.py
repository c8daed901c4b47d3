"""Synthetic worlds for benchmarks: thousands of served pages, every feed under the item cap."""

from __future__ import annotations

from collections import Counter

import feedparser
import httpx

from actuel.demo.build import load_world
from actuel.demo.server import DemoWorld


def test_synthetic_articles_are_served_listed_and_marked() -> None:
    with DemoWorld(synthetic_articles=2000, seed=7) as world:
        articles = world.manifest["articles"]
        synthetic = [a for a in articles if a["synthetic"]]
        assert len(synthetic) == 2000
        assert len(articles) == 2000 + sum(1 for a in articles if not a["synthetic"])
        per_outlet = Counter(a["outlet"] for a in articles)
        assert max(per_outlet.values()) <= 1000
        assert any(o.id.startswith("bench-") for o in world.outlets)
        assert {a["outlet"] for a in synthetic}.isdisjoint(
            {"kalaba-matin", "echo-des-collines", "portail-citoyen", "nouvelles-express"}
        )
        with httpx.Client(timeout=10) as http:
            for article in synthetic[::97]:
                url = world.url_of(article["id"])
                assert http.get(url).status_code == 200
                assert world.article_for_url(url) == article["id"]
            courrier = world.outlet("courrier-littoral")
            entries = feedparser.parse(http.get(courrier.source_url).content).entries
        assert len(entries) == per_outlet["courrier-littoral"]
        real = [a for a in articles if not a["synthetic"]]
    plain = DemoWorld().manifest["articles"]
    # adding synthetic pages leaves the real articles' URLs as they are
    assert [(a["id"], a["path"]) for a in real] == [(a["id"], a["path"]) for a in plain]


def test_synthetic_worlds_depend_only_on_the_seed() -> None:
    first = load_world(synthetic_articles=300, seed=3).manifest()
    again = load_world(synthetic_articles=300, seed=3).manifest()
    other = load_world(synthetic_articles=300, seed=4).manifest()
    assert first == again
    assert first != other
