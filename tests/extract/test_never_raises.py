"""Property: whatever bytes or text a server sends, extract_page returns a page and never raises."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actuel.extract import extract_page
from actuel.model import ExtractedPage

FRAGMENTS = [
    "<html>",
    "</html>",
    "<head>",
    "<body>",
    "<article>",
    "</article>",
    "<p>",
    "</p>",
    "<div class='share'>",
    "</div>",
    "<script>",
    "</script>",
    '<script type="application/ld+json">',
    "{",
    "}",
    '"@type": "NewsArticle"',
    '"datePublished": "2024-13-45"',
    '<meta property="og:image" content="',
    '<link rel="canonical" href="',
    '">',
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "é",
    "\x00",
    "\ufeff",
    "Lire aussi :",
    "fbpx",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "javascript:alert(1)",
    "//",
    "\n",
    " ",
]

html_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=60).map(
    "".join
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    content=st.one_of(
        html_like, html_like.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary()
    )
)
def test_extract_page_never_raises(content: str | bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="actuel.extract.page"):
        page = extract_page(
            content, url="https://exemple.fr/article?utm_source=x", content_type="text/html"
        )
    # the safety net in extract_page must not be what kept it from raising
    assert not [r for r in caplog.records if r.getMessage().startswith("extraction failed")]
    assert isinstance(page, ExtractedPage)
    assert isinstance(page.text, str)
    assert page.canonical_url is not None and page.canonical_url.startswith("https://")
    assert page.published_at is None or page.published_at.tzinfo is not None


def test_a_title_holding_html_alone_is_read_without_the_safety_net(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Found by the fuzzing above: lxml asserts ("too many bodies") on a title of "<html>"."""
    with caplog.at_level(logging.DEBUG, logger="actuel.extract.page"):
        page = extract_page("<title><html>", url="https://exemple.fr/a", content_type="text/html")
    assert not [r for r in caplog.records if r.getMessage().startswith("extraction failed")]
    assert isinstance(page, ExtractedPage)
