"""Author names keep their words and lose markup and byline words."""

from __future__ import annotations

import pytest

from actuel.extract import extract_page
from actuel.parse import parse_feed
from actuel.parse.people import person_name
from tests.pipeline.test_bad_sources import PAGE as FOIRE


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ('<b onmouseover="alert(1)">Evil Author</b>', "Evil Author"),
        ("&lt;i&gt;Awa&lt;/i&gt; Nfor", "Awa Nfor"),
        ("Par Awa Nfor", "Awa Nfor"),
        ("By The Associated Press", "The Associated Press"),
        ("Von Anna Schmidt", "Anna Schmidt"),
        ("Paris Match", "Paris Match"),
        ("Di Maio", "Di Maio"),
        ("von der Leyen", "von der Leyen"),
        ("  Jean-Baptiste\n Kouamé ", "Jean-Baptiste Kouamé"),
        ("<br/>", None),
        ("Par", "Par"),
    ],
)
def test_author_names_are_plain_words(raw: str, name: str | None) -> None:
    assert person_name(raw) == name


def test_a_feed_authors_markup_never_becomes_part_of_the_name() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<link>https://veilleur.example/</link>
<item><title>T</title><link>https://veilleur.example/a</link>
<author>&lt;b onmouseover="alert(1)"&gt;Evil Author&lt;/b&gt;</author></item>
<item><title>T2</title><link>https://veilleur.example/b</link>
<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Par Awa Nfor</dc:creator></item>
</channel></rss>"""
    assert [i.author for i in parse_feed(feed).items] == ["Evil Author", "Awa Nfor"]


PAGE = FOIRE.replace("</title></head>", '</title><meta name="author" content="{author}"></head>')


@pytest.mark.parametrize(
    "author",
    ["&lt;b onmouseover=&quot;alert(1)&quot;&gt;Awa Nfor&lt;/b&gt;", "Par Awa Nfor"],
)
def test_a_pages_author_is_the_name_alone(author: str) -> None:
    page = extract_page(PAGE.format(author=author).encode(), url="https://veilleur.example/a")
    assert page.author == "Awa Nfor"
