"""Any bytes at all: parse_feed gives a Feed or a ParseError, quickly; never another exception."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.errors import ParseError
from actuel.model import Feed
from actuel.parse import parse_feed, parse_opml

FRAGMENTS = [
    "<?xml version='1.0' encoding='utf-8'?>",
    "<?xml version='1.0' encoding='bogus'?>",
    "<rss version='2.0'>",
    "<channel>",
    "<item>",
    "</item>",
    "<title>Été</title>",
    "<link>/a?x=1&y=2</link>",
    "<link href='https://ex.fr/'/>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>",
    "<urlset>",
    "<url><loc>https://ex.fr/x</loc></url>",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "<![CDATA[<p>x</p>]]>",
    "&eacute;&#146;&bogus;&",
    "<pubDate>Sat, 12 Oct 2024 08:30:00 CEST</pubDate>",
    '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1}]}',
    "<html><head><title>x</title></head>",
    "<opml><body><outline xmlUrl='https://ex.fr/rss'/></body></opml>",
    "\x00",
    "\ufeff",
    "<rdf:RDF ",
    " xmlns:rdf='",
    " xmlns='",
    "\ud800/",
    "' t=''/>",
]
XMLISH = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048) | XMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_parse_feed_gives_a_feed_or_a_parse_error(content: bytes) -> None:
    try:
        result = parse_feed(content)
    except ParseError:
        return
    assert isinstance(result, Feed)


def test_a_namespace_that_breaks_feedparser_is_a_parse_error() -> None:
    """Found by fuzzing: feedparser's strict parser raised ValueError on a namespace URI with a
    lone surrogate's bytes, and that stopped every source's ingest."""
    crafted = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="\xed\xa0/" t=""/>'
    with pytest.raises(ParseError, match="feed could not be read"):
        parse_feed(crafted, url="https://veilleur.example/feed.xml")


@settings(max_examples=100, deadline=None)
@given(XMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_parse_opml_gives_outlines_or_a_parse_error(content: bytes) -> None:
    try:
        outlines = parse_opml(content)
    except ParseError:
        return
    assert all(o.url.startswith(("http://", "https://")) for o in outlines)


@pytest.mark.parametrize(
    "content",
    [
        b"<meta " * 13_000,
        b"<title " * 10_000,
        b"<" * 200_000,
        b"&" * 200_000,
        b"<!-- " * 20_000,
        b"<rss><channel><item><description>" + b"&lt;" * 200_000 + b"</description>",
        b'<?xml version="1.0"?>' + b"<!DOCTYPE x [" * 10_000,
    ],
    ids=["meta", "title", "lt", "amp", "comments", "escaped-lt", "doctypes"],
)
def test_pathological_input_ends_fast(content: bytes) -> None:
    started = time.perf_counter()
    with contextlib.suppress(ParseError):
        parse_feed(content)
    assert time.perf_counter() - started < 5
