"""Junk a publisher may send instead of an article never makes extraction raise; time is bounded."""

from __future__ import annotations

import os

import pytest

from actuel.extract import extract_page
from actuel.model import ExtractedPage

JUNK: dict[str, str | bytes] = {
    "empty bytes": b"",
    "empty text": "",
    "whitespace": " \n\t \r\n",
    "binary png header": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "random bytes": os.urandom(64 * 1024),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    + b"\x00\x01\x02" * 5000,
    "json error": b'{"error": "not found", "status": 404}',
    "bare tag": "<html>",
    "nul bytes in html": b"<html><body><p>a\x00b</p>\x00\x00</body></html>",
    "unclosed tags": "<div><p><span><b><i>" * 2000,
    "deep nesting": "<div>" * 50_000 + "texte" + "</div>" * 50_000,
    "broken json-ld": '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
    '"datePublished": </script></head><body><p>x</p></body></html>',
    "absurd dates": '<html><head><meta property="article:published_time" content="9999-12-31">'
    '<meta property="og:image" content="javascript:alert(1)"></head><body></body></html>',
    "undeclared utf-16": "<html><body><p>été</p></body></html>".encode("utf-16"),
}


@pytest.mark.parametrize("content", list(JUNK.values()), ids=list(JUNK))
def test_junk_gives_a_page_without_raising(content: str | bytes) -> None:
    page = extract_page(content, url="https://example.org/a?utm_source=x")
    assert isinstance(page, ExtractedPage)
    assert page.canonical_url == "https://example.org/a"
    assert page.image is None or page.image.startswith("https://")


@pytest.mark.parametrize(
    "content", [b"", "", JUNK["binary png header"], JUNK["random bytes"], JUNK["pdf"]]
)
def test_empty_and_binary_input_gives_empty_text(content: str | bytes) -> None:
    page = extract_page(content)
    assert page.text == ""
    assert page.title is None
    assert page.canonical_url is None


def test_future_date_is_refused() -> None:
    page = extract_page(JUNK["absurd dates"])
    assert page.published_at is None


def _huge_page(paragraphs: int) -> bytes:
    para = "<p>Paragraphe numéro {i} d'une page démesurée, avec assez de mots pour compter.</p>"
    body = "".join(para.format(i=i) for i in range(paragraphs))
    head = "<html><head><title>Énorme</title></head>"
    return f"{head}<body><article>{body}</article></body></html>".encode()


def test_page_over_the_cap_is_cut_before_parsing() -> None:
    content = _huge_page(60_000)  # about 6 MB
    assert len(content) > 5_000_000
    page = extract_page(content, max_bytes=200_000)
    assert page.title == "Énorme"
    assert "Paragraphe numéro 10 d'une" in page.text
    assert "Paragraphe numéro 50000" not in page.text
    assert len(page.text.encode()) < 200_000


def test_cut_in_the_middle_of_a_multibyte_character_keeps_the_accents() -> None:
    content = _huge_page(200)
    cut = content.index("démesurée".encode(), 10_000) + 2  # inside the two bytes of "é"
    page = extract_page(content, max_bytes=cut)
    assert "Paragraphe numéro 1 d'une page démesurée" in page.text


def test_oversized_page_keeps_its_article_past_megabytes_of_scripts() -> None:
    scripts = "<script>window.__STATE__ = '" + "x" * 3_000_000 + "';</script>"
    ld = '{"@type": "NewsArticle", "datePublished": "2024-05-01"}'
    ld = f'<script type="application/ld+json">{ld}</script>'
    article = "".join(
        f"<p>Paragraphe {i} : le conseil départemental a voté les crédits de la nouvelle route.</p>"
        for i in range(20)
    )
    html = (
        f"<html><head>{scripts}<style>body{{}}</style>{ld}</head><body><article>{article}</article>"
    )
    for content in (html, html.encode()):
        page = extract_page(content, max_bytes=100_000)
        assert "Paragraphe 19 : le conseil départemental" in page.text
        assert page.published_at is not None and page.published_at.day == 1


def test_unclosed_script_in_an_oversized_page_does_not_hang() -> None:
    content = b"<html><body><p>D\xc3\xa9but de l'article.</p>" + b"<script>var a = 1;" * 200_000
    page = extract_page(content, max_bytes=50_000)
    assert "<script" not in page.text


def test_many_scripts_in_an_oversized_page_are_dropped_in_one_pass() -> None:
    head = "<script>var a = 1;</script>" * 100_000
    body = "<p>Le texte de l'article suit les scripts, bien après la limite.</p>" * 10
    content = f"<html><head>{head}</head><body><article>{body}</article></body></html>".encode()
    page = extract_page(content, max_bytes=20_000)
    assert "Le texte de l'article suit les scripts" in page.text


@pytest.mark.parametrize("as_bytes", [False, True])
def test_xhtml_prolog_keeps_accents_from_str_and_bytes(as_bytes: bool) -> None:
    body = "<p>" + "Un été très chaud dans la région cette année. " * 10 + "</p>"
    prolog = '<?xml version="1.0" encoding="ISO-8859-1"?>'
    html = f"{prolog}<html><body><article>{body}</article></body></html>"
    page = extract_page(html.encode("latin-1") if as_bytes else html)
    assert page.text.startswith("Un été très chaud dans la région")


def test_page_of_tiny_tags_is_cut_at_the_element_cap() -> None:
    block = "<div><p>Bloc {i} : un paragraphe de texte assez long.</p><a href=/x>x</a></div>"
    body = "".join(block.format(i=i) for i in range(40_000))  # 120,000 elements, 3.4 MB
    page = extract_page(
        f"<html><body><article>{body}</article></body></html>", max_bytes=10_000_000
    )
    assert "Bloc 1 : un paragraphe" in page.text
    assert "Bloc 39999 :" not in page.text
