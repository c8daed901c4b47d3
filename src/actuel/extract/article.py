"""An article assembled from its page's extraction and the feed item that announced it.

The page says more than the feed (full text, canonical address, author), the feed keeps what a
page that failed could not give; dates from either are kept only when plausible. What the enrich
stage adds (language, rubrique) and when to fetch a missing page again are not decided here.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from actuel.extract.cleanup import strip_site_name
from actuel.extract.fragment import html_to_text
from actuel.model import Article, ExtractedPage, FeedItem, Source
from actuel.urls import canonical_url, same_host, without_tracking

MIN_HASHED_CHARS = 40  # shorter texts (a title, a stub) say too little to be one article


def content_hash(text: str) -> str | None:
    """Hash of the normalised text, so the same article under two URLs of one source is one row."""
    normalised = re.sub(r"\s+", " ", text).strip().lower()
    if len(normalised) < MIN_HASHED_CHARS:
        return None
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def plausible_date(date: datetime | None, now: datetime) -> datetime | None:
    """The date in UTC, or None when it is in the future (beyond a day) or before 1995."""
    if date is None:
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    if date > now + timedelta(days=1) or date.year < 1995:
        return None
    return date.astimezone(UTC)


def choose_published_at(
    page: ExtractedPage | None, item: FeedItem, now: datetime
) -> datetime | None:
    """The most reliable publication time: page metadata, then the feed; odd clocks are dropped."""
    page_date = plausible_date(page.published_at, now) if page else None
    feed_date = plausible_date(item.published_at or item.updated_at, now)
    # A page date without a time (00:00) is less precise than the feed's timestamp that day.
    if (
        page_date
        and feed_date
        and page_date.time() == datetime.min.time()
        and page_date.date() == feed_date.date()
    ):
        return feed_date
    return page_date or feed_date


def assemble_article(
    source: Source,
    item: FeedItem,
    page: ExtractedPage | None,
    *,
    final_url: str | None,
    now: datetime,
) -> Article:
    """An Article from a page (or from the feed item alone when the page failed or is empty);
    `final_url`: where the page was read after redirects."""
    assert source.id is not None
    link = item.link or ""
    final_url = final_url or link
    canonical = canonical_url(link)
    if page and page.canonical_url and same_host(page.canonical_url, final_url):
        canonical = canonical_url(page.canonical_url)
    from_feed_only = page is None or not page.text.strip()
    summary_text = html_to_text(item.summary)
    # the feed's own HTML is converted only when it is what gets stored (it costs a parse)
    if page is not None and not from_feed_only:
        text = page.text
    else:
        text = html_to_text(item.content) or summary_text
    title = (page.title if page and page.title else None) or html_to_text(item.title) or link
    title = strip_site_name(title, [page.site_name if page else None, source.name]) or link
    summary = summary_text or (page.description if page else None)
    return Article(
        source_id=source.id,
        url=without_tracking(link),
        canonical_url=canonical,
        title=title,
        text=text,
        guid=item.guid,
        summary=summary or None,
        author=(page.author if page and page.author else None) or item.author,
        published_at=choose_published_at(page, item, now),
        image=(page.image if page and page.image else None) or item.image,
        site_name=(page.site_name if page else None) or source.name or None,
        content_hash=content_hash(text),
        from_feed_only=from_feed_only,
        page_attempts=0 if not from_feed_only else 1,
        first_seen_at=now,
        extracted_at=now if not from_feed_only else None,
    )
