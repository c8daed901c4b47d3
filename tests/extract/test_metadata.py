"""Canonical URL, image, date and declared language from the head of a page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from actuel.extract import extract_page

BODY = (
    "<body><article><p>"
    + "Le texte de l'article, assez long pour être gardé. " * 8
    + "</p></article></body>"
)
URL = "https://www.exemple.fr/region/2024/article-42.html?utm_source=newsletter&utm_medium=email"


def page_with(head: str) -> str:
    return f"<html><head>{head}</head>{BODY}</html>"


def test_canonical_link_wins_over_og_url_and_is_cleaned() -> None:
    head = (
        '<meta property="og:url" content="https://www.exemple.fr/og">'
        '<link rel="canonical" href="/region/2024/article-42.html?utm_campaign=x#comments">'
    )
    page = extract_page(page_with(head), url=URL)
    assert page.canonical_url == "https://www.exemple.fr/region/2024/article-42.html"


def test_og_url_then_json_ld_url_when_no_canonical_link() -> None:
    og = '<meta property="og:url" content="https://www.exemple.fr/og-article">'
    assert extract_page(page_with(og), url=URL).canonical_url == "https://www.exemple.fr/og-article"
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "url": "https://www.exemple.fr/ld"}</script>'
    assert extract_page(page_with(ld), url=URL).canonical_url == "https://www.exemple.fr/ld"


def test_fetched_url_without_tracking_is_the_last_resort() -> None:
    page = extract_page(page_with(""), url=URL)
    assert page.canonical_url == "https://www.exemple.fr/region/2024/article-42.html"


def test_canonical_to_the_home_page_is_a_template_mistake() -> None:
    page = extract_page(page_with('<link rel="canonical" href="https://www.exemple.fr/">'), url=URL)
    assert page.canonical_url == "https://www.exemple.fr/region/2024/article-42.html"


def test_canonical_to_another_site_is_kept_for_provenance() -> None:
    head = '<link rel="canonical" href="https://www.agence-origine.fr/depeche/123">'
    page = extract_page(page_with(head), url=URL)
    assert page.canonical_url == "https://www.agence-origine.fr/depeche/123"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="og:image" content="//cdn.exemple.fr/a.jpg">',
            "https://cdn.exemple.fr/a.jpg",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "image": '
            '[{"@type": "ImageObject", "url": "/img/b.jpg"}]}</script>',
            "https://www.exemple.fr/img/b.jpg",
        ),
        ('<meta property="og:image" content="data:image/png;base64,AAAA">', None),
    ],
)
def test_image(head: str, expected: str | None) -> None:
    assert extract_page(page_with(head), url=URL).image == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="article:published_time" content="2024-06-01T18:45:00+02:00">',
            datetime(2024, 6, 1, 16, 45, tzinfo=UTC),
        ),
        (
            '<script type="application/ld+json">[{"@type": "Organization"}, '
            '{"@type": "ReportageNewsArticle", "datePublished": "2024-06-02T07:00:00Z"}]</script>',
            datetime(2024, 6, 2, 7, 0, tzinfo=UTC),
        ),
        (
            '<meta name="date" content="2024-06-03T10:00:00">',
            datetime(2024, 6, 3, 10, 0, tzinfo=UTC),
        ),
        ('<meta name="DC.date" content="2024-06-04">', datetime(2024, 6, 4, tzinfo=UTC)),
        (
            '<meta itemprop="datePublished" content="2024-06-05T06:30:00+02:00">',
            datetime(2024, 6, 5, 4, 30, tzinfo=UTC),
        ),
    ],
)
def test_publication_time_is_aware_utc(head: str, expected: datetime) -> None:
    assert extract_page(page_with(head), url=URL).published_at == expected


@pytest.mark.parametrize(
    ("html_open", "head", "expected"),
    [
        ('<html lang="fr-FR">', "", "fr"),
        ("<html>", '<meta property="og:locale" content="en_GB">', "en"),
        ("<html>", '<meta http-equiv="Content-Language" content="de">', "de"),
        ("<html>", "", None),
    ],
)
def test_declared_language(html_open: str, head: str, expected: str | None) -> None:
    page = extract_page(f"{html_open}<head>{head}</head>{BODY}</html>", url=URL)
    assert page.language == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "<title>Vidéo : la crue de la Loire vue du ciel</title>",
            "Vidéo : la crue de la Loire vue du ciel",
        ),
        ('<meta property="og:title" content="Diaporama : le carnaval">', "Diaporama : le carnaval"),
    ],
)
def test_page_without_text_keeps_its_title(head: str, expected: str) -> None:
    page = extract_page(f"<html><head>{head}</head><body><video></video></body></html>", url=URL)
    assert page.text == ""
    assert page.title == expected


def test_markup_inside_a_meta_title_is_dropped_not_shown_as_text() -> None:
    head = (
        '<meta property="og:title" content="Port-Ambre : le budget '
        '&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;voté&lt;/b&gt;">'
    )
    page = extract_page(page_with(head), url=URL)
    assert page.title == "Port-Ambre : le budget voté"
