"""parse_feed as a user meets it: formats detected, refusals explained, huge inputs bounded."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time

import pytest

from actuel.errors import NotAFeedError, ParseError
from actuel.parse import detect_format, parse_feed


def _rss(items: int, *, extra: str = "") -> bytes:
    body = "".join(
        f"<item><title>Titre {i} é</title><link>https://ex.fr/a/{i}</link><guid>g{i}</guid>"
        f"<pubDate>Mon, 02 Jan 2024 10:00:00 +0100</pubDate>"
        f"<description>&lt;p&gt;Texte {i}&lt;/p&gt;</description></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
        f"<link>https://ex.fr/</link><language>fr</language>{extra}{body}</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "rss"),
        (b"\xef\xbb\xbf<rss version='0.91'><channel/></rss>", "rss"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"/>', "atom"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "rdf"),
        (b'  {"version": "https://jsonfeed.org/version/1.1", "items": []}', "json"),
        (b'<?xml version="1.0"?><!-- hi --><urlset xmlns="x"/>', "sitemap"),
        (b"<sitemapindex/>", "sitemapindex"),
        (b"<!DOCTYPE html><html><head><title>x</title></head></html>", "html"),
        (b"<html><body>x</body></html>", "html"),
        ('<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"), "rss"),
        (b"<opml version='2.0'/>", "opml"),
        (b"", None),
        (b"just some text", None),
    ],
)
def test_detect_format(content: bytes, expected: str | None) -> None:
    assert detect_format(content) == expected


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeedError, match="empty") as caught:
        parse_feed(body, url="https://ex.fr/rss")
    assert caught.value.source == "https://ex.fr/rss"
    assert caught.value.fix


def test_plain_text_is_not_a_feed_and_the_message_quotes_it() -> None:
    with pytest.raises(NotAFeedError, match="Service Unavailable"):
        parse_feed(b"Service Unavailable - try again later")


def test_json_array_is_not_a_feed() -> None:
    with pytest.raises(NotAFeedError, match="JSON list"):
        parse_feed(b"[1, 2, 3]")


def test_broken_json_is_not_a_feed() -> None:
    with pytest.raises(NotAFeedError, match="not valid JSON"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')


def test_not_a_feed_is_a_parse_error() -> None:
    assert issubclass(NotAFeedError, ParseError)


def test_items_are_capped_with_a_note() -> None:
    feed = parse_feed(_rss(30), max_items=10)
    assert [i.link for i in feed.items] == [f"https://ex.fr/a/{i}" for i in range(10)]
    assert feed.notes == ["30 items, kept the first 10"]


def test_json_feed_items_are_capped_with_a_note() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [{"id": str(i), "url": f"https://ex.fr/{i}"} for i in range(5)],
    }
    feed = parse_feed(json.dumps(document).encode(), max_items=2)
    assert len(feed.items) == 2 and feed.notes == ["5 items, kept the first 2"]


def test_item_html_is_returned_as_given() -> None:
    content = _rss(0).replace(
        b"</channel>",
        b"<item><title>x</title><link>https://ex.fr/x</link><description><![CDATA["
        b'<p onclick="x()">Un <a href="/rel">lien</a><script>alert(1)</script></p>'
        b"]]></description></item></channel>",
    )
    item = parse_feed(content).items[0]
    given = '<p onclick="x()">Un <a href="/rel">lien</a><script>alert(1)</script></p>'
    assert item.summary == given


def test_relative_links_resolve_against_the_feed_url() -> None:
    content = (
        b"<rss version='2.0'><channel><title>t</title><link>/</link><item><title>x</title>"
        b"<link>../articles/1.html</link><enclosure url='img/1.jpg' type='image/jpeg'/>"
        b"</item></channel></rss>"
    )
    feed = parse_feed(content, url="https://www.ex.fr/rss/une.xml")
    assert feed.link == "https://www.ex.fr/"
    assert feed.items[0].link == "https://www.ex.fr/articles/1.html"
    assert feed.items[0].enclosures[0].url == "https://www.ex.fr/rss/img/1.jpg"


def test_dangerous_link_schemes_are_dropped() -> None:
    content = (
        b"<rss version='2.0'><channel><title>t</title><item><title>x</title>"
        b"<link>javascript:alert(1)</link></item></channel></rss>"
    )
    assert parse_feed(content, url="https://ex.fr/rss").items[0].link is None


def test_hundred_thousand_item_feed_is_bounded() -> None:
    content = _rss(100_000)
    started = time.perf_counter()
    feed = parse_feed(content, max_items=1000)
    elapsed = time.perf_counter() - started
    assert len(feed.items) == 1000
    assert feed.notes == ["100,000 items, kept the first 1,000"]
    assert feed.items[-1].link == "https://ex.fr/a/999"
    assert elapsed < 20  # generous bound; typically about 2 s


def test_hundred_thousand_url_sitemap_keeps_the_newest() -> None:
    urls = "".join(
        f"<url><loc>https://ex.fr/{i}</loc><lastmod>2024-01-01T00:00:{i % 60:02d}Z</lastmod></url>"
        for i in range(100_000)
    )
    content = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    started = time.perf_counter()
    feed = parse_feed(content.encode(), max_items=100)
    assert time.perf_counter() - started < 20
    assert len(feed.items) == 100
    assert {i.updated_at.second for i in feed.items if i.updated_at} == {59}
    assert feed.notes == ["100,000 entries, kept the newest 100"]


MEMORY_PROBE = """
import resource, sys
from actuel.parse import parse_feed
from tests.parse.test_feeds import _rss
content = _rss(100_000)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
feed = parse_feed(content, max_items=1000)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(content), len(feed.items), (after - before) // 1024)
"""


@pytest.mark.slow
def test_hundred_thousand_item_feed_memory_stays_bounded() -> None:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    size, items, grown_mb = (int(x) for x in out)
    assert items == 1000
    # The document is ~20 MB; parsing it may hold a few copies, never the whole tree of 100k items.
    assert grown_mb < 6 * size / 1024 / 1024, grown_mb


def test_gzipped_sitemap_is_unpacked() -> None:
    content = gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://ex.fr/1</loc></url></urlset>"
    )
    assert [i.link for i in parse_feed(content).items] == ["https://ex.fr/1"]


def test_gzip_bomb_stops_at_the_cap() -> None:
    content = gzip.compress(b"<urlset>" + b" " * 20_000_000 + b"</urlset>")
    started = time.perf_counter()
    with pytest.raises(ParseError, match="more than 1,000,000 bytes"):
        parse_feed(content, url="https://ex.fr/s.xml.gz", max_gunzip_bytes=1_000_000)
    assert time.perf_counter() - started < 5


def test_huge_rdf_feed_is_truncated_and_still_read() -> None:
    items = "".join(
        f'<item rdf:about="https://ex.fr/{i}"><title>t{i}</title><link>https://ex.fr/{i}</link></item>'
        for i in range(3000)
    )
    content = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://ex.fr/"><title>R</title>'
        f"<link>https://ex.fr/</link></channel>{items}</rdf:RDF>"
    ).encode()
    feed = parse_feed(content, max_items=50)
    assert feed.title == "R" and len(feed.items) == 50
    assert feed.notes == ["3,000 items, kept the first 50"]


def test_bare_ampersands_in_links_are_kept() -> None:
    content = (
        b"<rss version='2.0'><channel><title>Sport & loisirs</title><item><title>x</title>"
        b"<link>https://ex.fr/article.php?id=12&lang=fr&amp;page=2</link></item></channel></rss>"
    )
    feed = parse_feed(content)
    assert feed.title == "Sport & loisirs"
    assert feed.items[0].link == "https://ex.fr/article.php?id=12&lang=fr&page=2"


def test_titles_are_one_line_and_images_come_from_the_content() -> None:
    content = (
        b"<rss version='2.0'><channel><title>\n  Le  Journal\n</title><item>"
        b"<title>\n        Un titre\n   sur deux lignes\n</title><link>https://ex.fr/a/1</link>"
        b"<description><![CDATA[<p><img class='une' src='/img/1.jpg?w=600&amp;h=400'>Texte</p>]]>"
        b"</description></item></channel></rss>"
    )
    feed = parse_feed(content, url="https://ex.fr/rss")
    assert feed.title == "Le Journal"
    assert feed.items[0].title == "Un titre sur deux lignes"
    assert feed.items[0].image == "https://ex.fr/img/1.jpg?w=600&h=400"


def test_a_feed_cut_off_before_its_items_is_an_error_not_an_empty_feed() -> None:
    cut = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        b"<title>Le Portail</title>\n<updated><br />\n<b>Fatal error</b>: Allowed memory size"
    )
    with pytest.raises(ParseError, match="not well-formed"):
        parse_feed(cut, url="https://portail.example/feed/atom/")
