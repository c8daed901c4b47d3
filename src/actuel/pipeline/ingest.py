"""A pass over the due sources: feeds and pages collected in worker threads (`collect`), every
write done by the calling thread, articles placed in stories a few dozen at a time."""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from actuel.config import Settings
from actuel.errors import ActuelError, StoreError
from actuel.fetch import Fetcher
from actuel.model import Feed, FeedItem, FetchResult, Source, SourceKind, StoryDoc
from actuel.pipeline import utcnow
from actuel.pipeline.collect import (
    CollectedFeed,
    CollectedPage,
    Collector,
    PageOutcome,
    build_article,
)
from actuel.pipeline.extraction import ExtractionPool
from actuel.pipeline.stories_step import STORIES_BATCH, StoriesStep, story_doc
from actuel.sources.schedule import page_retry_at
from actuel.sources.state import after_error, after_success
from actuel.store import Store
from actuel.store.articles import ArticleWrite
from actuel.urls import canonical_url

log = logging.getLogger("actuel.pipeline")

IMAGES_PER_PASS = 50  # local copies of articles' images made in one pass, the newest first
# fewer pages than this finished together: wait this long for more to store in one transaction
STORE_BATCH_PAGES = 32
STORE_GATHER_S = 0.05


@dataclass
class SourceReport:
    """What one refresh of one source did."""

    source: Source
    items: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    feed_only: int = 0
    not_modified: bool = False
    error: str | None = None


@dataclass
class PassReport:
    """What one pass over the due sources did."""

    sources: list[SourceReport] = field(default_factory=list)
    retried_pages: int = 0
    images: int = 0  # local copies of articles' images made
    elapsed_s: float = 0.0

    @property
    def new_articles(self) -> int:
        return sum(r.new_articles for r in self.sources)

    @property
    def errors(self) -> list[SourceReport]:
        return [r for r in self.sources if r.error]


@dataclass(frozen=True)
class Stored:
    """What storing one page's article did."""

    created: bool  # a new article (else an update of a stored one)
    from_feed_only: bool


def _next_finished(
    completed: queue.SimpleQueue[Future[Any]], pending: int, *, gather: bool
) -> list[Future[Any]]:
    """The jobs finished now (waiting for the first); with `gather`, also those finishing in the
    next moment, up to a batch: pages finish one at a time, and one transaction (one multi-row
    insert) then stores several instead of one each."""
    finished = [completed.get()]
    while len(finished) < pending:
        try:
            finished.append(completed.get_nowait())
        except queue.Empty:
            break
    deadline = time.monotonic() + STORE_GATHER_S
    while gather and len(finished) < min(pending, STORE_BATCH_PAGES):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            finished.append(completed.get(timeout=left))
        except queue.Empty:
            break
    return finished


class Ingestor:
    """Runs passes over due sources: feeds fetched and parsed, new pages fetched and extracted in
    worker threads, every write done by the calling thread (one writer)."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        settings: Settings,
        *,
        on_progress: Callable[[str, int, int], None] | None = None,
        stories: StoriesStep | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.settings = settings
        self.on_progress = on_progress or (lambda _what, _done, _total: None)
        self._extraction = ExtractionPool(settings)
        self.stories = stories if stories is not None else StoriesStep(store, settings)
        self.collect = Collector(fetcher, settings, self._extraction, self.stories.warm)
        self._unplaced: list[StoryDoc] = []  # stored, waiting for the stories step
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, settings.fetch_concurrency), thread_name_prefix="actuel-fetch"
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._extraction.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _new_items(self, source: Source, feed: Feed) -> list[FeedItem]:
        """Items whose article is not stored yet (by canonical URL, or guid of this source)."""
        assert source.id is not None
        linked: dict[str, FeedItem] = {}
        for item in feed.items:
            if item.link:
                linked.setdefault(canonical_url(item.link), item)
        guids = [item.guid for item in linked.values() if item.guid]
        known_urls, known_guids = self.store.articles.known(
            source.id, canonical_urls=list(linked), guids=guids
        )
        return [
            item
            for canonical, item in linked.items()
            if canonical not in known_urls and not (item.guid and item.guid in known_guids)
        ]

    def _store_many(self, outcomes: list[PageOutcome]) -> list[Stored | None]:
        """Store pages' articles in one go: (created, from the feed only) of each, or None for
        an empty one."""
        writes: list[ArticleWrite] = []
        kept: list[int] = []
        for index, outcome in enumerate(outcomes):
            if outcome.error:
                log.info(
                    "page kept from the feed",
                    extra={
                        "source": outcome.source.label,
                        "url": outcome.item.link,
                        "error": outcome.error.describe(),
                    },
                )
            article = outcome.article or build_article(outcome, utcnow(), self.settings)
            if not article.title and not article.text:
                continue
            fetched = outcome.fetched
            writes.append(
                ArticleWrite(
                    article,
                    raw_html=outcome.html_z or (outcome.html if outcome.page else None),
                    compressed=outcome.html_z is not None,
                    content_type=fetched.content_type if fetched else None,
                    final_url=fetched.final_url if fetched else None,
                )
            )
            kept.append(index)
        results: list[Stored | None] = [None] * len(outcomes)
        stored = self.store.articles.upsert_many(writes)
        for index, write, (article_id, created) in zip(kept, writes, stored, strict=True):
            article = write.article
            if created:
                source_name = outcomes[index].source.name
                self._unplaced.append(story_doc(replace(article, id=article_id), source_name))
            results[index] = Stored(created, article.from_feed_only)
        return results

    def _place_stored(self) -> None:
        """The stories step for the articles stored and waiting, in the open transaction.

        A fault of the stage costs their stories, never the articles: the step starts afresh
        from the store, whose window holds them unplaced, and places them then (so does a
        restart after a crash)."""
        docs, self._unplaced = self._unplaced, []
        try:
            self.stories.place_many(docs)
        except ActuelError:
            raise
        except Exception:
            log.exception("stories step failed", extra={"articles": [d.id for d in docs]})
            self.stories.reset()

    def _store_pages(
        self, done: list[tuple[Source, CollectedPage]], reports: dict[int, SourceReport]
    ) -> None:
        """Store pages that finished together in one transaction; if one of them is refused,
        store them one by one so that a bad item costs only itself."""
        if not done:
            return
        self.stories.ready()  # restoring reads the store: before the write transaction
        try:
            with self.store.batch():
                self.store.fetches.log_many([page.log for _, page in done if page.log is not None])
                results = self._store_many([page.outcome for _, page in done])
                # placing articles a few dozen at a time costs one write per story touched,
                # not one per article; those stored earlier wait, committed, without a story
                if len(self._unplaced) >= STORIES_BATCH:
                    self._place_stored()
        except ActuelError:
            # the rollback took back articles it may have placed: start the step afresh (it
            # then places every stored article still without a story, the waiting ones too)
            self._unplaced = []
            self.stories.reset()
            results = []
            for source, page in done:
                try:
                    with self.store.batch():
                        results.append(self._store_one(page))
                except ActuelError as exc:
                    results.append(None)
                    log.warning(
                        "item not stored",
                        extra={
                            "source": source.label,
                            "url": page.outcome.item.link,
                            "error": exc.describe(),
                        },
                    )
        for (source, _), result in zip(done, results, strict=True):
            if result is None:
                continue
            assert source.id is not None
            report = reports[source.id]
            report.new_articles += result.created
            report.updated_articles += not result.created
            report.feed_only += result.from_feed_only

    def _store_one(self, page: CollectedPage) -> Stored | None:
        """Store one page's article (and its fetch's log row): None when it is empty."""
        if page.log is not None:
            self.store.fetches.log(page.log)
        return self._store_many([page.outcome])[0]

    def _finish_source(
        self,
        source: Source,
        report: SourceReport,
        fetched: FetchResult | None,
        feed: Feed | None,
    ) -> None:
        now = utcnow()
        if feed is not None:
            dated = ((i.published_at or i.updated_at) for i in feed.items)
        else:  # 304: the rhythm comes from what the source published before
            recent = self.store.articles.latest(limit=20, source_id=source.id)
            dated = (a.published_at or a.first_seen_at for a in recent)
        times = [d for d in dated if d is not None]
        updated = after_success(
            source,
            now=now,
            item_times=times,
            etag=fetched.etag if fetched else source.etag,
            last_modified=fetched.last_modified if fetched else source.last_modified,
            settings=self.settings,
        )
        if fetched and fetched.permanent_redirect:
            updated.url = fetched.permanent_redirect
        if feed is not None and feed.format == "html" and source.kind == SourceKind.FEED:
            updated.kind = SourceKind.PAGE  # its feed was unreadable: the home page replaced it
        if feed and not updated.site_url and feed.link:
            updated.site_url = feed.link
        try:
            self.store.sources.update(updated)
        except StoreError:
            if updated.url == source.url:
                raise
            # its new address is another source's (a unique URL): it keeps its own
            updated.url, updated.kind = source.url, source.kind
            self.store.sources.update(updated)
        report.source = updated

    def _fail_source(self, source: Source, error: ActuelError, report: SourceReport) -> None:
        if error.source is None:
            error.source = source.label
        updated = after_error(source, error, now=utcnow(), settings=self.settings)
        self.store.sources.update(updated)
        report.source, report.error = updated, error.describe()
        log.warning(
            "source failed",
            extra={
                "source": source.label,
                "code": error.code,
                "error": error.describe(),
                "state": str(updated.state),
                "next_poll_at": updated.next_poll_at,
            },
        )

    def _handle_feed(
        self,
        collected: CollectedFeed,
        report: SourceReport,
        feeds: dict[int, tuple[FetchResult | None, Feed | None]],
    ) -> list[FeedItem]:
        """Log the feed's fetches, record failure or 304, and return the items still to fetch."""
        source, feed, fetched, error = (
            collected.source,
            collected.feed,
            collected.fetched,
            collected.error,
        )
        assert source.id is not None
        for entry in collected.logs:
            self.store.fetches.log(entry)
        if error is not None:
            self._fail_source(source, error, report)
            return []
        if feed is None:  # 304 Not Modified
            report.not_modified = True
            self._finish_source(source, report, fetched, None)
            return []
        report.items = len(feed.items)
        fresh = self._new_items(source, feed)
        if fresh:
            feeds[source.id] = (fetched, feed)
        else:
            self._finish_source(source, report, fetched, feed)
        return fresh

    def run_pass(
        self, sources: Iterable[Source] | None = None, *, follow_up: bool = True
    ) -> PassReport:
        """Refresh every due source (or the given ones), then retry pages that failed before
        and keep images (unless `follow_up` is false: a queue's worker leaves that to a job of
        its own, one at a time for the whole cluster)."""
        clock = time.monotonic()
        self.fetcher.load_holds()  # waits that hosts asked of other processes meanwhile
        todo = list(sources) if sources is not None else self.store.sources.due(utcnow())
        result = PassReport()
        feed_jobs: dict[Future[CollectedFeed], Source] = {}
        page_jobs: dict[Future[CollectedPage], Source] = {}
        reports: dict[int, SourceReport] = {}
        open_pages: dict[int, int] = {}
        feeds: dict[int, tuple[FetchResult | None, Feed | None]] = {}
        total, done = len(todo), 0
        # finished jobs arrive on a queue: waiting on every pending future at each turn (as
        # concurrent.futures.wait does) cost a pass of 2,000 pages a fifth of its writer's time
        completed: queue.SimpleQueue[Future[Any]] = queue.SimpleQueue()
        for source in todo:
            assert source.id is not None
            reports[source.id] = SourceReport(source=source)
            job = self._pool.submit(self.collect.feed, source)
            feed_jobs[job] = source
            job.add_done_callback(completed.put)
        self.on_progress("sources", 0, total)
        while feed_jobs or page_jobs:
            outstanding = len(feed_jobs) + len(page_jobs)
            finished = _next_finished(completed, outstanding, gather=not feed_jobs)
            stored: list[tuple[Source, CollectedPage]] = []
            for future in finished:
                done += 1
                if future in feed_jobs:
                    source = feed_jobs.pop(future)
                    assert source.id is not None
                    fresh = self._handle_feed(future.result(), reports[source.id], feeds)
                    open_pages[source.id] = len(fresh)
                    total += len(fresh)
                    self._extraction.warm_up(total)
                    for item in fresh:
                        page_job = self._pool.submit(self.collect.article, source, item)
                        page_jobs[page_job] = source
                        page_job.add_done_callback(completed.put)
                else:
                    stored.append((page_jobs.pop(future), future.result()))
            self._store_pages(stored, reports)
            for source, _ in stored:
                assert source.id is not None
                open_pages[source.id] -= 1
                if open_pages[source.id] == 0:
                    fetched, feed = feeds.pop(source.id)
                    self._finish_source(source, reports[source.id], fetched, feed)
            self.on_progress("items", done, total)
        if self._unplaced:
            try:
                with self.store.batch():
                    self._place_stored()
            except ActuelError as exc:  # the articles are stored: their stories come next time
                log.warning("stories not written", extra={"error": exc.describe()})
                self._unplaced = []
                self.stories.reset()
        result.sources = list(reports.values())
        if follow_up:
            result.retried_pages = self.retry_pages()
            result.images = self.fetch_images()
        result.elapsed_s = time.monotonic() - clock
        return result

    def fetch_images(self, limit: int = IMAGES_PER_PASS) -> int:
        """Keep local copies of the newest articles' images not fetched yet; how many were kept.
        An image that cannot be fetched or read is recorded with the reason, never asked again
        (the site then shows no image rather than a broken one)."""
        if not self.settings.fetch_images:
            return 0
        wanted = self.store.images.wanted(limit)
        sources = {s.id: s for s in self.store.sources.all()}
        futures = [
            (want, self._pool.submit(self.collect.image, sources[want.source_id], want.url))
            for want in wanted
            if want.source_id in sources
        ]
        kept = 0
        for want, future in futures:
            collected = future.result()
            self.store.fetches.log(collected.log)
            thumb = collected.thumbnail
            if thumb is None:
                self.store.images.save(want.article_id, want.url, error=collected.error)
                continue
            self.store.images.save(
                want.article_id, want.url, data=thumb.data, width=thumb.width,
                height=thumb.height, content_type=thumb.content_type,
            )  # fmt: skip
            kept += 1
        return kept

    def retry_pages(self, limit: int = 200) -> int:
        """Fetch again the pages of articles kept from the feed alone, when their retry is due."""
        if not self.settings.fetch_pages:
            return 0
        now = utcnow()
        waiting = self.store.articles.needing_page(now, limit=limit)
        if not waiting:
            return 0
        sources = {s.id: s for s in self.store.sources.all()}
        futures = []
        for article in waiting:
            source = sources.get(article.source_id)
            if source is None:
                continue
            item = FeedItem(
                link=article.url,
                guid=article.guid,
                title=article.title,
                published_at=article.published_at,
            )
            futures.append((article, self._pool.submit(self.collect.page, source, item)))
        recovered = 0
        for article, future in futures:
            collected = future.result()
            outcome = collected.outcome
            if collected.log is not None:
                self.store.fetches.log(collected.log)
            now = utcnow()
            if outcome.page is None or not outcome.page.text.strip():
                attempts = article.page_attempts + 1
                article.page_attempts = attempts
                article.next_page_attempt_at = page_retry_at(
                    attempts, now=now, settings=self.settings
                )
                self.store.articles.update_extraction(article)
                continue
            fresh = build_article(outcome, now, self.settings)
            fresh.canonical_url = article.canonical_url  # keep the row's identity
            fresh.id = article.id
            fresh.first_seen_at = article.first_seen_at
            fresh.published_at = article.published_at or fresh.published_at
            with self.store.batch():
                self.store.articles.upsert(
                    fresh,
                    raw_html=outcome.html,
                    content_type=outcome.fetched.content_type if outcome.fetched else None,
                    final_url=outcome.fetched.final_url if outcome.fetched else None,
                )
                # placed again when alone in its story (a story it now fits takes it); its
                # credit lines and quotes come from the full text now
                self.stories.place_many([story_doc(fresh, outcome.source.name)], refilled=True)
            recovered += 1
        return recovered
