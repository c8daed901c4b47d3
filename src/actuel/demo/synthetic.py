"""Generated articles for benchmarks: corpus paragraphs recombined, spread over feed outlets."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from actuel.demo.corpus import CATEGORIES, Outlet
from actuel.demo.site import DemoArticle, World, assign_paths

PER_OUTLET = 400  # synthetic items per outlet; keeps every feed well under the 1,000-item cap
SYNTHETIC_OFFSET = 500_000  # article numbers of synthetic pages never meet those of real ones
_EXPOSURES = ("rss2", "json", "newssitemap", "atom")
_HEADS = {
    "fr": (
        "Retour sur",
        "Ce qu'il faut savoir",
        "Le point",
        "Analyse",
        "Nouveaux détails",
        "Suite",
    ),
    "en": ("What we know", "Analysis", "Explainer", "Update", "New details", "Inside"),
}
_PLACES = {
    "fr": ("à Kalaba", "à Port-Ambre", "dans les Hauts-Plateaux", "sur la Sorène", "à Téréna"),
    "en": ("in Kalaba", "in Eastmere", "in Port-Ambre", "on the Sorène", "in Northbridge"),
}


def _hosts(world: World, count: int) -> list[Outlet]:
    """Outlets that take synthetic articles: the healthy feed outlets, then bench-k clones."""
    healthy = [
        o
        for o in world.outlets
        if o.exposure in _EXPOSURES and o.slow_s == 0 and o.flaky_every == 0 and not o.broken_feed
    ]
    hosts = list(healthy)
    k = 1
    while len(hosts) * PER_OUTLET < count:
        model = healthy[(k - 1) % len(healthy)]
        hosts.append(replace(model, id=f"bench-{k}", name=f"Banc d'essai {k}", role="synthetic"))
        k += 1
    return hosts


def add_synthetic(world: World, count: int, seed: int = 0) -> World:
    """A copy of `world` with `count` generated articles and any bench-k outlets they need."""
    if count <= 0:
        return world
    rng = random.Random(seed)
    hosts = _hosts(world, count)
    pools: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    for article in world.articles:
        if article.relation in ("original", "independent", "rewrite", "translation"):
            pools.setdefault(article.lang, []).extend(article.paragraphs)
            titles.setdefault(article.lang, []).append(article.title)
    everything = [p for rows in pools.values() for p in rows]
    every_title = [t for rows in titles.values() for t in rows]
    start = datetime(2026, 10, 1, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    made: list[DemoArticle] = []
    for i in range(count):
        outlet = hosts[i % len(hosts)]
        lang = outlet.lang
        pool = pools.get(lang) or everything
        article_id = f"syn-{i + 1:05d}"
        head = rng.choice(_HEADS[lang])
        place = rng.choice(_PLACES[lang])
        title = f"{head} {place} : {rng.choice(titles.get(lang) or every_title)}"
        paragraphs = tuple(rng.sample(pool, k=min(len(pool), rng.randint(4, 6))))
        made.append(
            DemoArticle(
                id=article_id,
                story=article_id,
                outlet=outlet,
                lang=lang,
                title=title,
                author=rng.choice(("Rédaction", "Service web", "Desk")),
                published=start + timedelta(minutes=rng.randrange(0, 60 * 24 * 45)),
                relation="original",
                derived_from=None,
                original=article_id,
                machine_translation=False,
                paragraphs=paragraphs,
                category=rng.choice(CATEGORIES),
                synthetic=True,
            )
        )
    known = {o.id for o in world.outlets}
    return World(
        outlets=world.outlets + [o for o in hosts if o.id not in known],
        stories=world.stories,
        articles=world.articles + assign_paths(made, offset=SYNTHETIC_OFFSET),
        story_original=world.story_original,
    )
