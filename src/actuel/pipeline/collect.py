"""What ingest's worker threads do, with no store access: fetch and read a source's feed, fetch
and extract an item's page into an article, fetch an image; each fetch logged for the writer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from actuel.config import Settings
from actuel.enrich.article import enrich_article
from actuel.errors import ActuelError, ExtractError, NotAFeedError, ParseError
from actuel.extract import compress_html
from actuel.extract.article import assemble_article
from actuel.fetch import Fetcher
from actuel.fetch.messages import size as size_text
from actuel.images.thumbnail import ImageRefused, Thumbnail, make_thumbnail
from actuel.model import (
    Article,
    ExtractedPage,
    Feed,
    FeedItem,
    FetchLog,
    FetchResult,
    Source,
    SourceKind,
)
from actuel.parse import decode_document, detect_format, parse_feed
from actuel.pipeline import utcnow
from actuel.pipeline.extraction import ExtractionPool
from actuel.sources.discovery import article_links_from_home, feed_links_from_html
from actuel.sources.schedule import page_retry_at
from actuel.urls import home_url

log = logging.getLogger("actuel.pipeline")

SITEMAP_CHILDREN_MAX = 5
# a feed unreadable this many polls in a row is replaced by its site's home page, when that page
# links to articles (the fix its error message gives the operator, applied)
FEED_FALLBACK_AFTER = 3


@dataclass
class PageOutcome:
    """What fetching and extracting one item's page gave, ready to store."""

    source: Source
    item: FeedItem
    fetched: FetchResult | None = None
    page: ExtractedPage | None = None
    html: bytes | None = None
    error: ActuelError | None = None
    language: str | None = None  # detected from the extracted text
    article: Article | None = None  # built in the worker, stored by the writer
    html_z: bytes | None = None  # the page compressed for storage, in the worker too


@dataclass
class CollectedFeed:
    """A source's feed as read: None on 304 or error, with the fetch log rows it cost."""

    source: Source
    feed: Feed | None
    fetched: FetchResult | None
    error: ActuelError | None
    logs: list[FetchLog] = field(default_factory=list)


@dataclass
class CollectedPage:
    """An item's page, fetched and extracted (or not), and the fetch's log row if it was asked."""

    outcome: PageOutcome
    log: FetchLog | None


@dataclass
class CollectedImage:
    """An image's thumbnail, or why there is none, and the fetch's log row."""

    thumbnail: Thumbnail | None
    error: str | None
    log: FetchLog


def build_article(outcome: PageOutcome, now: datetime, settings: Settings) -> Article:
    """The stages that make an article of a page: assembled (extract), its language and rubrique
    (enrich), and when to fetch its page again if only the feed gave it (sources)."""
    source, item, page = outcome.source, outcome.item, outcome.page
    final_url = outcome.fetched.final_url if outcome.fetched else None
    article = assemble_article(source, item, page, final_url=final_url, now=now)
    enrich_article(
        article,
        detected=outcome.language,
        hints=(page.language if page else None, item.language, source.lang),
        categories=[*(page.categories if page else []), *item.keywords],
    )
    if article.from_feed_only and settings.fetch_pages:
        article.next_page_attempt_at = page_retry_at(
            article.page_attempts, now=now, settings=settings
        )
    return article


def unexpected(exc: Exception, what: str, source: Source, url: str | None = None) -> ActuelError:
    """A library's failure on one feed or page as an error of that source alone (logged with its
    traceback: it is a bug to report, not a fault of the publisher)."""
    log.error(
        f"unexpected error reading a {what}",
        exc_info=exc,
        extra={"source": source.label, "url": url or source.url},
    )
    kind = ParseError if what == "feed" else ExtractError
    return kind(
        f"the {what} could not be read: {type(exc).__name__}: {exc}",
        fix="report it to actuel with the URL; the other sources go on",
        source=source.label,
    )


class Collector:
    """The worker side of a pass: every method may run in any fetch thread."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: Settings,
        extraction: ExtractionPool,
        warm: Callable[[Article], None],
    ) -> None:
        self.fetcher = fetcher
        self.settings = settings
        self._extraction = extraction
        self._warm = warm  # embeds an article ahead of the stories step

    def _get(
        self,
        url: str,
        *,
        source: Source,
        kind: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> tuple[FetchResult | None, ActuelError | None, FetchLog]:
        started = utcnow()
        entry = FetchLog(url=url, started_at=started, source_id=source.id, kind=kind)
        clock = time.monotonic()
        try:
            result = self.fetcher.get(
                url, etag=etag, last_modified=last_modified, purpose=kind, source=source.label
            )
        except ActuelError as exc:
            entry.elapsed_s = time.monotonic() - clock
            entry.error_code, entry.error = exc.code, exc.describe()
            entry.status = getattr(exc, "status", None)
            return None, exc, entry
        entry.status, entry.elapsed_s, entry.wire_bytes = (
            result.status,
            result.elapsed_s,
            result.wire_bytes,
        )
        return result, None, entry

    def feed(self, source: Source) -> CollectedFeed:
        fetched, error, entry = self._get(
            source.url,
            source=source,
            kind="feed",
            etag=source.etag,
            last_modified=source.last_modified,
        )
        logs = [entry]
        if error or fetched is None or fetched.not_modified:
            return CollectedFeed(source, None, fetched, error, logs)
        try:
            try:
                feed = self._feed_from(source, fetched, logs)
            except NotAFeedError:
                # The feed URL now answers with a page: look there for the feed it announces.
                moved = self._rediscover(source, fetched, logs)
                if moved is None:
                    raise
                fetched, feed = moved
        except ActuelError as exc:
            if exc.source in (None, source.url, fetched.final_url):
                exc.source = source.label
            home = self._home_page_instead(source, exc, logs)
            if home is not None:
                return CollectedFeed(source, home[1], home[0], None, logs)
            return CollectedFeed(source, None, fetched, exc, logs)
        except Exception as exc:  # a library's bug on this feed must not stop the pass
            return CollectedFeed(source, None, fetched, unexpected(exc, "feed", source), logs)
        return CollectedFeed(source, feed, fetched, None, logs)

    def _home_page_instead(
        self, source: Source, error: ActuelError, logs: list[FetchLog]
    ) -> tuple[FetchResult, Feed] | None:
        """The site's home page, read as a page source, for a feed that stayed unreadable
        FEED_FALLBACK_AFTER polls in a row; None when it lists no article (the error stands)."""
        if (
            source.kind != SourceKind.FEED
            or not isinstance(error, ParseError)
            or isinstance(error, NotAFeedError)
            or source.error_count < FEED_FALLBACK_AFTER - 1
        ):
            return None
        home = home_url(source.site_url or source.url)
        found, failed, entry = self._get(home, source=source, kind="page")
        logs.append(entry)
        if found is None or failed is not None:
            return None
        if detect_format(found.content, found.content_type) not in (None, "html"):
            return None
        html = decode_document(found.content, found.content_type)
        max_items = self.settings.parse_max_items
        links = article_links_from_home(html, found.final_url, max_links=max_items)
        if not links:
            return None
        log.warning(
            "feed unreadable: the source now reads the site's home page",
            extra={"source": source.label, "feed": source.url, "home": found.final_url},
        )
        note = f"the feed {source.url} was unreadable {FEED_FALLBACK_AFTER} times: home page read"
        page = Feed(
            format="html",
            link=found.final_url,
            items=[FeedItem(link=u) for u in links],
            notes=[note],
        )
        return replace(found, permanent_redirect=found.final_url), page

    def _rediscover(
        self, source: Source, fetched: FetchResult, logs: list[FetchLog]
    ) -> tuple[FetchResult, Feed] | None:
        """A feed found through the page a feed URL now serves; the source moves to it."""
        if detect_format(fetched.content, fetched.content_type) != "html":
            return None
        html = decode_document(fetched.content, fetched.content_type)
        for candidate in feed_links_from_html(html, fetched.final_url)[:3]:
            if candidate.url == source.url:
                continue
            found, error, entry = self._get(candidate.url, source=source, kind="feed")
            logs.append(entry)
            if found is None or error is not None:
                continue
            try:
                feed = self._feed_from(source, found, logs)
            except ActuelError:
                continue
            log.warning(
                "feed moved",
                extra={"source": source.label, "from": source.url, "to": found.final_url},
            )
            found.permanent_redirect = found.final_url
            return found, feed
        return None

    def _feed_from(self, source: Source, fetched: FetchResult, logs: list[FetchLog]) -> Feed:
        max_items = self.settings.parse_max_items
        if source.kind == SourceKind.PAGE:
            html = decode_document(fetched.content, fetched.content_type)
            links = article_links_from_home(html, fetched.final_url, max_links=max_items)
            return Feed(
                format="html", link=fetched.final_url, items=[FeedItem(link=u) for u in links]
            )
        feed = parse_feed(
            fetched.content,
            url=fetched.final_url,
            content_type=fetched.content_type,
            max_items=max_items,
        )
        if fetched.truncated:  # read up to the download limit: its first items are kept
            limit = int(self.settings.fetch_max_bytes)
            feed.notes.insert(
                0, f"the feed is larger than the {size_text(limit)} download limit: read that far"
            )
            log.warning(
                "feed cut at the download limit",
                extra={"source": source.label, "limit_bytes": limit, "notes": feed.notes},
            )
        if feed.format == "sitemapindex":
            children: list[FeedItem] = []
            for child_url in feed.sitemaps[:SITEMAP_CHILDREN_MAX]:
                child, error, entry = self._get(child_url, source=source, kind="feed")
                logs.append(entry)
                if child is None:
                    log.warning(
                        "sitemap child failed",
                        extra={"source": source.label, "url": child_url, "error": str(error)},
                    )
                    continue
                parsed = parse_feed(
                    child.content,
                    url=child.final_url,
                    content_type=child.content_type,
                    max_items=max_items,
                )
                children.extend(parsed.items)
            feed = replace(feed, items=children[:max_items])
        return feed

    def page(self, source: Source, item: FeedItem) -> CollectedPage:
        outcome = PageOutcome(source=source, item=item)
        if not self.settings.fetch_pages or not item.link:
            return CollectedPage(outcome, None)
        fetched, error, entry = self._get(item.link, source=source, kind="page")
        if error or fetched is None:
            outcome.error = error
            return CollectedPage(outcome, entry)
        outcome.fetched = fetched
        outcome.html = fetched.content
        try:
            dated = item.published_at is not None or item.updated_at is not None
            outcome.page, outcome.language = self._extraction.extract(fetched, guess_date=not dated)
        except ActuelError as exc:
            outcome.error = exc
        except Exception as exc:  # the extractor's bug on this page: kept from the feed instead
            outcome.error = unexpected(exc, "page", source, item.link)
        return CollectedPage(outcome, entry)

    def article(self, source: Source, item: FeedItem) -> CollectedPage:
        """Fetch and extract an item's page, build the article and compress the page to store
        (worker side: the writer thread only writes)."""
        collected = self.page(source, item)
        outcome = collected.outcome
        outcome.article = build_article(outcome, utcnow(), self.settings)
        if outcome.html is not None and outcome.page is not None:
            outcome.html_z = compress_html(outcome.html)
        self._warm(outcome.article)
        return collected

    def image(self, source: Source, url: str) -> CollectedImage:
        """An image's thumbnail, or why there is none, and the fetch's log row."""
        fetched, error, entry = self._get(url, source=source, kind="image")
        if error is not None or fetched is None:
            return CollectedImage(None, error.describe() if error else "no answer", entry)
        content_type = (fetched.content_type or "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith("image/"):
            return CollectedImage(
                None, f"{url} is served as {content_type}, not as an image", entry
            )
        try:
            return CollectedImage(make_thumbnail(fetched.content), None, entry)
        except ImageRefused as exc:
            return CollectedImage(None, f"{url}: {exc}", entry)
