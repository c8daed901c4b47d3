"""Full-text search: accents and case do not matter, reader input is safe, snippets mark hits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actuel.model import Article
from actuel.store import MARK_END, MARK_START, Store, snippet_parts
from tests.store.helpers import add_source, article


@pytest.fixture
def newsroom(store: Store) -> Store:
    source = add_source(store)
    store.articles.upsert(
        article(
            source,
            1,
            title="Élection municipale à Besançon",
            text="Les électeurs de Besançon ont choisi leur maire. La participation a été forte.",
        )
    )
    store.articles.upsert(
        article(
            source,
            2,
            title="Fête de la science",
            text="Les écoles de Dijon accueillent des chercheurs toute la semaine.",
        )
    )
    store.articles.upsert(
        article(
            source,
            3,
            title="Council election in Besançon",
            text="Voters in Besançon chose their mayor.",
            language="en",
        )
    )
    store.articles.upsert(
        article(source, 4, title="Brève", text="", summary="Un incendie à Dijon cette nuit.")
    )
    return store


def titles(results: list[tuple[Article, str]]) -> set[str]:
    return {a.title for a, _ in results}


def test_search_ignores_accents_and_case(newsroom: Store) -> None:
    expected = {"Élection municipale à Besançon", "Council election in Besançon"}
    assert titles(newsroom.search.hits("election besancon")) == expected
    assert titles(newsroom.search.hits("ÉLECTION Besançon")) == expected
    assert titles(newsroom.search.hits("ecoles")) == {"Fête de la science"}


def test_every_word_must_match(newsroom: Store) -> None:
    assert titles(newsroom.search.hits("besançon dijon")) == set()
    assert titles(newsroom.search.hits("dijon")) == {"Fête de la science", "Brève"}


def test_summary_of_a_feed_only_article_is_searchable(newsroom: Store) -> None:
    assert titles(newsroom.search.hits("incendie")) == {"Brève"}


def test_language_filter(newsroom: Store) -> None:
    assert titles(newsroom.search.hits("besançon", lang="en")) == {"Council election in Besançon"}


def test_snippet_marks_the_matches(newsroom: Store) -> None:
    [(found, snippet)] = newsroom.search.hits("participation")
    assert found.title == "Élection municipale à Besançon"
    assert f"{MARK_START}participation{MARK_END}" in snippet
    assert ("participation", True) in snippet_parts(snippet)
    assert "".join(text for text, _ in snippet_parts(snippet)) in found.text


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        'besançon"',
        "AND OR NOT",
        "(dijon",
        "NEAR(dijon écoles)",
        "*",
        "dijon*",
        "title:dijon",
        "-dijon",
        "'; DROP TABLE articles; --",
        "\\",
        "\x00",
        "!:&|<->",
        "",
        "   ",
        "x" * 5000,
    ],
)
def test_reader_input_never_breaks_the_query(newsroom: Store, query: str) -> None:
    results = newsroom.search.hits(query)
    assert isinstance(results, list)
    assert newsroom.articles.count() == 4


def test_operators_are_taken_as_words(newsroom: Store) -> None:
    assert titles(newsroom.search.hits("NEAR(dijon écoles)")) == set()  # "near" is not in the text
    assert titles(newsroom.search.hits("(dijon")) == {"Fête de la science", "Brève"}


def test_results_are_capped(newsroom: Store) -> None:
    assert len(newsroom.search.hits("besançon", limit=1)) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_any_text_is_a_valid_query(newsroom: Store, query: str) -> None:
    for found, snippet in newsroom.search.hits(query):
        assert found.id is not None
        assert isinstance(snippet, str)


def test_offset_pages_through_results(newsroom: Store) -> None:
    everything = [a.id for a, _ in newsroom.search.hits("besançon")]
    assert len(everything) == 2
    paged = [a.id for a, _ in newsroom.search.hits("besançon", limit=1)]
    paged += [a.id for a, _ in newsroom.search.hits("besançon", limit=1, offset=1)]
    assert paged == everything
    assert newsroom.search.hits("besançon", offset=2) == []


def test_a_huge_text_is_stored_whole_and_found(store: Store) -> None:
    source = add_source(store)
    # distinct words, so PostgreSQL's tsvector size cap (1 MB) would be hit without the store's cut
    text = " ".join(f"mot{n:07d}" for n in range(200_000)) + " conclusion"
    article_id, _ = store.articles.upsert(article(source, 1, title="Rapport intégral", text=text))
    assert store.articles.get(article_id).text == text
    assert [a.id for a, _ in store.search.hits("rapport integral")] == [article_id]
    assert [a.id for a, _ in store.search.hits("mot0000042")] == [article_id]
