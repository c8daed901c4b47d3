"""Every article page of the demo world, rendered in memory: clean text, teasers and credits right.

The demo world records the truth about each page (original, copy, excerpt...), so extraction is
checked against it: excerpts are teasers that point to their source, no other page is, and a credit
line never names an outlet outside the article's own lineage.
"""

from __future__ import annotations

from typing import Any

import pytest

from actuel.extract import extract_page, looks_like_teaser
from actuel.model import ExtractedPage
from actuel.stories.credits import extract_credits


@pytest.fixture(scope="module")
def demo_pages() -> list[tuple[Any, ExtractedPage, str]]:
    build = pytest.importorskip("actuel.demo.build")
    world = build.load_world()
    bases = {o.id: f"http://{o.id}.test" for o in world.outlets}
    sites = build.render_world(world, bases)
    pages = []
    for article in world.articles:
        if article.headline_only:  # no page: its feed is all there is
            continue
        resource = sites[article.outlet.id].resources[article.path]
        url = bases[article.outlet.id] + article.path
        page = extract_page(resource.body, url=url, content_type=resource.content_type)
        pages.append((article, page, url))
    assert len(pages) > 40
    return pages


def test_every_page_has_clean_text_title_and_date(
    demo_pages: list[tuple[Any, ExtractedPage, str]],
) -> None:
    for article, page, _ in demo_pages:
        assert len(page.text) > 150, article.id
        assert page.title, article.id
        assert page.published_at is not None and page.published_at.tzinfo is not None, article.id
        for junk in ("fbpx", "Laisser un commentaire", "Partager sur Facebook", "Publicité"):
            assert junk not in page.text, (article.id, junk)


def test_excerpts_are_teasers_pointing_to_their_source(
    demo_pages: list[tuple[Any, ExtractedPage, str]],
) -> None:
    by_id = {article.id: (article, url) for article, _, url in demo_pages}
    excerpts = 0
    for article, page, _ in demo_pages:
        if article.relation == "excerpt":
            excerpts += 1
            _, source_url = by_id[article.read_more or article.derived_from]
            assert looks_like_teaser(page.text), article.id
            assert page.read_more_url == source_url, article.id
        else:
            assert not looks_like_teaser(page.text), article.id
            assert page.read_more_url is None, article.id
    assert excerpts > 3


def test_credit_lines_only_name_the_articles_lineage(
    demo_pages: list[tuple[Any, ExtractedPage, str]],
) -> None:
    outlets = sorted({article.outlet.name for article, _, _ in demo_pages})
    by_id = {article.id: article for article, _, _ in demo_pages}
    credited = 0
    for article, page, _ in demo_pages:
        lineage = {by_id[article.original].outlet.name}
        if article.derived_from:
            lineage.add(by_id[article.derived_from].outlet.name)
        for credit in extract_credits(page.text, known_outlets=outlets):
            if credit.outlet in outlets:
                assert credit.outlet in lineage, (article.id, credit)
                credited += article.relation != "original"
    assert credited > 10
