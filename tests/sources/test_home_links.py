"""Picking article links from a home page, for sources that are only a home page."""

from __future__ import annotations

from pathlib import Path

import pytest

from actuel.sources import article_links_from_home, looks_like_article
from tests.sources.fixtures_format import read_case

CASES = sorted((Path(__file__).parent / "fixtures" / "home").glob("*.html"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_article_links_match_the_fixture_header(path: Path) -> None:
    case = read_case(path)
    if case.max_links is None:
        links = article_links_from_home(case.html, case.base)
    else:
        links = article_links_from_home(case.html, case.base, max_links=case.max_links)
    assert links == case.expect


@pytest.mark.parametrize(
    "url",
    [
        "https://journal.example/tag/municipales",
        "https://journal.example/rubrique/sport",
        "https://journal.example/auteur/jean-dupont-redacteur-en-chef",
        "https://journal.example/connexion",
        "https://journal.example/mon-compte/mes-newsletters-et-alertes",
        "https://journal.example/mentions-legales",
        "https://journal.example/politique-de-confidentialite",
        "https://journal.example/partager/un-article-sur-les-reseaux-sociaux",
        "https://journal.example/recherche?q=incendie+lyon",
        "https://journal.example/actualites?page=3",
        "https://journal.example/spip.php?rubrique12",
        "https://journal.example/spip.php?mot34",
        "https://journal.example/",
        "https://journal.example/index.php",
        "https://journal.example/faits-divers/",
        "https://journal.example/a-la-une",
        "https://journal.example/2026/11/",
        "https://journal.example/2026/11/25/",
        "https://journal.example/actualites/page-3",
        "https://journal.example/images/la-mairie-de-lyon-sous-la-neige.webp",
        "https://journal.example/docs/le-budget-primitif-de-la-ville-2026.pdf",
        "https://journal.example/wp-content/uploads/2026/11/photo-du-maire-au-conseil.jpg",
        "https://journal.example/2026/07/17/le-senat-confirme-la-nomination/comment-page-1/",
        "https://forums.journal.example/threads/que-pensez-vous-du-nouveau-tramway.2211521/",
        "https://journal.example/politique/index.html",
        "https://journal.example/actualites/la-reforme-des-retraites-en-debat/commentaires",
    ],
)
def test_not_articles(url: str) -> None:
    assert not looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://journal.example/2026/11/25/greve",
        "https://journal.example/societe/2026/11/25/123456",
        "https://journal.example/politique/la-reforme-des-retraites-adoptee",
        "https://journal.example/lyon/incendie-a-la-part-dieu.html",
        "https://journal.example/faits-divers/46812",
        "https://journal.example/article-46812.html",
        "https://journal.example/spip.php?article412",
        "https://journal.example/?p=4812",
        "https://journal.example/region/20261125-les-vendanges-sont-terminees",
        "https://journal.example/monde/r%C3%A9fugi%C3%A9s-l-accueil-s-organise-%C3%A0-calais",
        "https://journal.example/2026/11/18/politique/le-budget-vote-de-justesse/index.html",
        "https://journal.example/article/3834/2",
        "https://journal.example/article/gadgets-de-noel",
        "https://journal.example/le-maire-annonce-un-nouveau-plan-velo/ar-BBWXwNX",
        "https://journal.example/news/news_view.html?idx=8576&page=1&bc=03",
    ],
)
def test_articles(url: str) -> None:
    assert looks_like_article(url)


def test_spip_article_ids_stay_distinct() -> None:
    html = """<main>
      <a href="spip.php?article412">La fête du cidre</a>
      <a href="spip.php?article413&amp;utm_source=lettre">Le marché de Noël</a>
      <a href="spip.php?rubrique3">Vie locale</a>
    </main>"""
    assert article_links_from_home(html, "https://bocage.example/") == [
        "https://bocage.example/spip.php?article412",
        "https://bocage.example/spip.php?article413",
    ]


def test_empty_or_broken_pages_give_nothing() -> None:
    assert article_links_from_home("", "https://journal.example/") == []
    assert article_links_from_home("<html><a href=", "https://journal.example/") == []
    assert (
        article_links_from_home("<a href='/a-b-c-d-e'>x</a>", "https://j.example/", max_links=0)
        == []
    )


def test_a_big_home_page_is_capped() -> None:
    links = "".join(
        f'<a href="/actualites/un-titre-d-article-numero-{n}">t</a>' for n in range(1, 1001)
    )
    found = article_links_from_home(f"<main>{links}</main>", "https://journal.example/")
    assert len(found) == 200
    assert found[0] == "https://journal.example/actualites/un-titre-d-article-numero-1"
