"""OPML import and export: what a reader exports we import, and what we export imports back."""

from __future__ import annotations

import pytest

from actuel.errors import ParseError
from actuel.model import Source, SourceKind
from actuel.parse import OpmlOutline, parse_opml, write_opml

C_URL = "https://c.example.org/atom.xml"
SOURCES = [
    Source(
        url="https://www.exemple-regional.fr/rss/une.xml",
        name="L'Écho du Var & co <une>",
        site_url="https://www.exemple-regional.fr/",
        lang="fr",
        category="Régions/Var",
    ),
    Source(url="https://b.example.org/feed", name="B", category="Régions/Var"),
    Source(url="https://c.example.org/atom.xml", name="", lang="de"),
    Source(url="https://d.example.org/sitemap.xml", name="D", kind=SourceKind.SITEMAP),
]


def test_round_trip_keeps_every_field() -> None:
    outlines = parse_opml(write_opml(SOURCES, title="Mes sources"))
    assert outlines == [
        OpmlOutline(
            url="https://www.exemple-regional.fr/rss/une.xml",
            title="L'Écho du Var & co <une>",
            site_url="https://www.exemple-regional.fr/",
            category="Régions/Var",
            lang="fr",
            kind="feed",
        ),
        OpmlOutline(
            url="https://b.example.org/feed", title="B", category="Régions/Var", kind="feed"
        ),
        OpmlOutline(url=C_URL, title=C_URL, lang="de", kind="feed"),
        OpmlOutline(url="https://d.example.org/sitemap.xml", title="D", kind="sitemap"),
    ]


def test_export_is_opml_2_with_folders() -> None:
    document = write_opml(SOURCES, title="Mes sources").decode("utf-8")
    assert document.startswith("<?xml")
    assert '<opml version="2.0">' in document
    assert "<title>Mes sources</title>" in document
    assert document.count('text="Régions/Var"') == 1
    assert "&amp; co &lt;une&gt;" in document


def test_reader_exports_with_uppercase_attributes_and_no_folders() -> None:
    content = (
        b'<?xml version="1.0"?><opml version="1.0"><head/><body>'
        b'<outline TEXT="A" XMLURL="https://a.example/rss" HTMLURL="https://a.example/"/>'
        b"</body></opml>"
    )
    assert parse_opml(content) == [
        OpmlOutline(url="https://a.example/rss", title="A", site_url="https://a.example/")
    ]


def test_latin1_opml_keeps_accents() -> None:
    content = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="2.0"><body>'
        '<outline text="Société"><outline text="Le Télégramme" xmlUrl="https://t.example/rss"/>'
        "</outline></body></opml>"
    ).encode("latin-1")
    [outline] = parse_opml(content)
    assert outline.title == "Le Télégramme" and outline.category == "Société"


@pytest.mark.parametrize(
    "content", [b"", b"<html><body>not opml</body></html>", b'{"feeds": []}', b"<rss/>"]
)
def test_not_opml_is_refused_with_a_fix(content: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        parse_opml(content)
    assert "OPML" in str(caught.value) and caught.value.fix
