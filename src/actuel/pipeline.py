"""The only place that knows the order of stages: fetch → parse → extract → enrich → store."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from actuel.config import Settings
from actuel.enrich import detect_language, rubriques
from actuel.enrich.quotes import extract_quotes
from actuel.errors import (
    ActuelError,
    ExtractError,
    FetchError,
    NotAFeedError,
    ParseError,
    StoreError,
)
from actuel.extract import compress_html, extract_page
from actuel.extract.cleanup import strip_site_name
from actuel.extract.fragment import html_to_text
from actuel.fetch import Fetcher
from actuel.fetch.messages import size as size_text
from actuel.images.thumbnail import ImageRefused, Thumbnail, make_thumbnail
from actuel.model import (
    Article,
    Credit,
    ExtractedPage,
    Feed,
    FeedItem,
    FetchLog,
    FetchResult,
    Relation,
    Source,
    SourceKind,
    SourceState,
    StoryDoc,
)
from actuel.parse import decode_document, detect_format, parse_feed
from actuel.parse.urls import canonical_url, without_tracking
from actuel.sources.discovery import (
    Discovered,
    article_links_from_home,
    common_feed_paths,
    feed_links_from_html,
    sitemaps_from_robots,
)
from actuel.sources.schedule import page_retry_at
from actuel.sources.state import after_error, after_success
from actuel.store import Store
from actuel.store.articles import ArticleWrite
from actuel.store.stories import MemberRow, StoryUpdate, WindowRow
from actuel.stories.align import aligned_sentences
from actuel.stories.cluster import StoryClusterer, batched
from actuel.stories.credits import extract_credits
from actuel.stories.encoder import Encoder, default_encoder
from actuel.stories.fingerprint import embedding_text, title_text
from actuel.stories.provenance import latest_time
from actuel.workers import exit_with_parent, extract_and_detect

log = logging.getLogger("actuel.pipeline")

SITEMAP_CHILDREN_MAX = 5
# a feed unreadable this many polls in a row is replaced by its site's home page, when that page
# links to articles (the fix its error message gives the operator, applied)
FEED_FALLBACK_AFTER = 3
IMAGES_PER_PASS = 50  # local copies of articles' images made in one pass, the newest first
STORIES_BATCH = 64  # new articles placed in stories together (one write per story touched)
# fewer pages than this finished together: wait this long for more to store in one transaction
STORE_BATCH_PAGES = 32
STORE_GATHER_S = 0.05


def utcnow() -> datetime:
    return datetime.now(UTC)


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


# A feed's collection: (source, feed or None on 304/error, fetch result, error, fetch log rows)
FeedCollected = tuple[Source, Feed | None, FetchResult | None, ActuelError | None, list[FetchLog]]
PageCollected = tuple[PageOutcome, FetchLog | None]


# --- stage helpers on plain data -------------------------------------------------------------


def content_hash(text: str) -> str | None:
    """Hash of the normalised text, so the same article under two URLs of one source is one row."""
    normalised = re.sub(r"\s+", " ", text).strip().lower()
    if len(normalised) < 40:
        return None
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _same_site(a: str, b: str) -> bool:
    host_a, host_b = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return host_a.removeprefix("www.") == host_b.removeprefix("www.")


def _plausible(date: datetime | None, now: datetime) -> datetime | None:
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
    page_date = _plausible(page.published_at, now) if page else None
    feed_date = _plausible(item.published_at or item.updated_at, now)
    # A page date without a time (00:00) is less precise than the feed's timestamp that day.
    if (
        page_date
        and feed_date
        and page_date.time() == datetime.min.time()
        and page_date.date() == feed_date.date()
    ):
        return feed_date
    return page_date or feed_date


def choose_language(text: str, title: str | None, *hints: str | None) -> str | None:
    """Detected language of the text; the page's or source's declared language when too short."""
    hint = next((h.split("-")[0].lower() for h in hints if h), None)
    detected = detect_language(text, title=title, hint=hint)
    return detected or hint


def build_article(outcome: PageOutcome, now: datetime, settings: Settings) -> Article:
    """An Article from a page (or from the feed item alone when the page failed)."""
    source, item, page = outcome.source, outcome.item, outcome.page
    assert source.id is not None
    link = item.link or ""
    final_url = outcome.fetched.final_url if outcome.fetched else link
    canonical = canonical_url(link)
    if page and page.canonical_url and _same_site(page.canonical_url, final_url):
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
    attempts = 0 if not from_feed_only else 1
    categories = [*(page.categories if page else []), *item.keywords]
    rubrique = rubriques.classify(title, summary, text, categories)
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
        language=outcome.language
        if outcome.language and not from_feed_only
        else choose_language(
            text, title, page.language if page else None, item.language, source.lang
        ),
        image=(page.image if page and page.image else None) or item.image,
        site_name=(page.site_name if page else None) or source.name or None,
        content_hash=content_hash(text),
        from_feed_only=from_feed_only,
        page_attempts=attempts,
        next_page_attempt_at=page_retry_at(attempts, now=now, settings=settings)
        if from_feed_only and settings.fetch_pages
        else None,
        first_seen_at=now,
        extracted_at=now if not from_feed_only else None,
        rubrique=rubrique.slug if rubrique else None,
        rubrique_by=rubrique.by if rubrique else None,
    )


def extract_fetched(fetched: FetchResult, settings: Settings) -> ExtractedPage:
    """Run the extraction stage on a fetched page."""
    return extract_page(
        fetched.content,
        url=fetched.final_url,
        content_type=fetched.content_type,
        max_bytes=settings.extract_max_html_bytes,
    )


def usable_cpus() -> int:
    """CPUs this process may run on: a container or `taskset` often allows fewer than the
    machine has, and a worker per machine CPU would then only compete for them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def _worker_context() -> multiprocessing.context.BaseContext:
    """Spawned workers: never a plain fork of this process, whose fetch threads may hold locks.
    (A forkserver starts them faster, but it outlives a SIGKILLed parent.)"""
    return multiprocessing.get_context("spawn")


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


class ExtractionPool:
    """Extraction is CPU-bound and the GIL serialises it: large passes spread it over worker
    processes; small ones (or extract_workers=1) stay in the calling thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        workers = settings.extract_workers or usable_cpus()
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def warm_up(self, pages: int) -> None:
        """Start the worker processes when a pass has enough pages to repay their start-up."""
        if self.workers < 2 or pages < self.settings.extract_pool_min_pages:
            return
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_worker_context(),
                    initializer=exit_with_parent,
                    initargs=(os.getpid(),),
                )

    def extract(
        self, fetched: FetchResult, *, guess_date: bool = True
    ) -> tuple[ExtractedPage, str | None]:
        """The page's content and its detected language (see extract_page for `guess_date`)."""
        job = (
            fetched.content,
            fetched.final_url,
            fetched.content_type,
            self.settings.extract_max_html_bytes,
            guess_date,
        )
        pool = self._pool
        if pool is not None:
            try:
                return pool.submit(extract_and_detect, *job).result()
            except BrokenProcessPool:  # a worker died (out of memory, killed): go on without
                log.warning("extraction workers lost; extracting in-process")
                with self._lock:
                    self._pool = None
        return extract_and_detect(*job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- the stories step --------------------------------------------------------------------------


def story_doc(article: Article, source_name: str | None) -> StoryDoc:
    """What the stories stage needs of a stored article."""
    assert article.id is not None
    return StoryDoc(
        id=str(article.id),
        title=article.title or "",
        text=article.text or "",
        url=article.url,
        published_at=article.published_at,
        lang=article.language,
        source=source_name or article.site_name or None,
        first_seen_at=article.first_seen_at,
    )


_MemberState = tuple[str, int | None, float | None]


class StoriesStep:
    """Places each newly stored article in a story as it is ingested, and writes what changed
    (the story row, merges, members' relations, credits, quotes) in the caller's transaction.

    One clusterer per process, restored lazily from the store's last `stories_window_days` of
    articles; articles of that window never placed (stored before stories existed) are placed
    then. After a rolled-back transaction call `reset()`: the clusterer would otherwise remember
    articles the database never kept.
    """

    def __init__(self, store: Store, settings: Settings, *, encoder: Encoder | None = None):
        self.store = store
        self.settings = settings
        self.window_days = float(settings.stories_window_days)
        self.enabled = bool(settings.stories)
        self._encoder = encoder
        self._encoder_chosen = encoder is not None
        self._clusterer: StoryClusterer | None = None
        self._persisted: dict[str, _MemberState] = {}
        self._originals: dict[str, tuple[int | None, str | None]] = {}  # as last written
        self._outlets: dict[str, None] = {}
        # stories whose stored original is older than the window restored: the clusterer
        # cannot see it, so its own pick would wrongly replace it
        self._unseen_originals: dict[str, int] = {}
        self._texts: dict[str, tuple[str, str | None]] = {}  # the batch being placed: text, lang

    @property
    def encoder(self) -> Encoder | None:
        if not self._encoder_chosen:
            self._encoder = default_encoder(self.settings)
            self._encoder_chosen = True
        return self._encoder

    def warm(self, article: Article) -> None:
        """Embed an article's lead and headline ahead of `place` (worker threads: the writer then
        finds them in the encoder's cache)."""
        encoder = self.encoder if self.enabled else None
        if encoder is not None and (article.title or article.text):
            doc = StoryDoc(id="", title=article.title or "", text=article.text or "")
            encoder.encode([text for text in (embedding_text(doc), title_text(doc)) if text])

    def reset(self) -> None:
        self._clusterer = None
        self._persisted.clear()
        self._originals.clear()
        self._unseen_originals.clear()

    def ready(self) -> StoryClusterer | None:
        """The clusterer, restored from the store at first use (None when stories are off)."""
        if self._clusterer is not None or not self.enabled:
            return self._clusterer
        clusterer = self._fresh_clusterer()
        # the window ends at the newest article, not at the wall clock: a process resuming
        # after days off (or a corpus of older news) still finds the stories it left
        newest = self.store.newest_article_time()
        since = min(utcnow(), newest or utcnow()) - timedelta(days=self.window_days)
        rows = self.store.story_window(since)
        self._restore(clusterer, rows)
        self._clusterer = clusterer
        unplaced = [r.doc for r in rows if not r.key]
        if unplaced:
            log.info("placing articles stored before stories", extra={"count": len(unplaced)})
            with self.store.batch():
                self.place_many(unplaced)
        return clusterer

    def _fresh_clusterer(self) -> StoryClusterer:
        self._outlets = {s.name: None for s in self.store.list_sources() if s.name}
        return StoryClusterer(encoder=self.encoder, window_days=self.window_days)

    def _restore(self, clusterer: StoryClusterer, rows: list[WindowRow]) -> None:
        """Put placed articles back into the clusterer, remembering what is stored of them."""
        placed = [r for r in rows if r.key and not _placed(clusterer, r.doc.id)]
        clusterer.restore(
            [r.doc for r in placed],
            [r.key for r in placed if r.key],
            [r.relation for r in placed if r.relation],
        )
        for r in placed:
            self._persisted[r.doc.id] = (
                r.kind or "",
                int(r.relation.source_id) if r.relation else None,
                _rounded(r.confidence),
            )
            original = r.story_original
            if r.key and original is not None and not _placed(clusterer, str(original)):
                self._unseen_originals.setdefault(r.key, original)
        for r in placed:  # an original restored after its copies is seen after all
            if r.key in self._unseen_originals and r.doc.id == str(self._unseen_originals[r.key]):
                del self._unseen_originals[r.key]

    def rebuild(
        self,
        since: datetime | None = None,
        *,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Place the stored articles that are in no story (an archive import, articles stored
        while stories were off or older than the window), oldest first; how many were placed.

        Time is walked a day at a time, from `since` (default: the oldest article) less the
        window: articles already placed come back as context, so an old article joins the stories
        of its own days. Each batch is committed: an interrupted rebuild resumes where it stopped.
        """
        if not self.enabled:
            return 0
        start = since or self.store.oldest_article_time()
        newest = self.store.newest_article_time()
        if start is None or newest is None:
            return 0
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        total = self.store.count_unplaced_articles(start)
        report = on_progress or (lambda _done, _total: None)
        report(0, total)
        if total == 0:
            return 0
        self.reset()
        self._clusterer = clusterer = self._fresh_clusterer()
        cursor, done = start - timedelta(days=self.window_days), 0
        try:
            while cursor <= newest and done < total:
                upto = cursor + timedelta(days=1)
                rows = self.store.story_window(cursor, upto)
                if not rows:  # a gap in the archive: on to the next day that has articles
                    following = self.store.oldest_article_time(upto)
                    if following is None:
                        break
                    cursor = max(upto, following - timedelta(hours=1))
                    continue
                self._restore(clusterer, rows)
                fresh = [r.doc for r in rows if not r.key and _sort_time(r.doc) >= start]
                # each batch placed while the next one is embedded in the background
                for batch in clusterer.looking_ahead(batched(fresh, STORIES_BATCH)):
                    with self.store.batch():
                        self.place_many(batch)
                    done += len(batch)
                    report(done, total)
                cursor = upto
        finally:
            self.reset()  # the next ingest restores its own window afresh
        return done

    def place(self, doc: StoryDoc) -> None:
        self.place_many([doc])

    def place_many(self, docs: list[StoryDoc], *, refilled: bool = False) -> None:
        """Place stored articles (ids are article ids) and write where they went; `refilled`:
        articles kept from their feed item alone whose page came since (`StoryClusterer.refill`)."""
        if not docs:
            return
        clusterer = self.ready()
        if clusterer is None:
            return
        for doc in docs:
            if doc.source:
                self._outlets.setdefault(doc.source, None)
        placed_before = {d.id for d in docs if _placed(clusterer, d.id)}
        # feeds come in any order: placing a batch oldest first lets a copy find its direct
        # source rather than the source's source (a bare date after the times of its day)
        now = utcnow()
        docs = sorted(docs, key=lambda d: _placing_order(d, now))
        credits = {d.id: self._credits_of(d) for d in docs}  # once: for provenance and the store
        place = clusterer.refill if refilled else clusterer.add_many
        assignments = place(docs, credits=credits)
        # one write per story, however many of its articles came together; stories merged on
        # the way (perhaps opened in this very batch) redirect to the survivor
        merged: dict[str, dict[str, None]] = {}
        added: dict[str, list[int]] = {}
        for assignment in assignments:
            survivor = clusterer.resolve(assignment.story_id)
            keys = merged.setdefault(survivor, {})
            for key in (assignment.story_id, *assignment.merged):
                if key != survivor:
                    keys[key] = None
            fresh = added.setdefault(survivor, [])
            if assignment.doc_id not in placed_before:
                fresh.append(int(assignment.doc_id))
        self._texts = {d.id: (d.text, d.lang) for d in docs}
        try:
            for story_key, merged_keys in merged.items():
                self._save_story(clusterer, story_key, list(merged_keys), added[story_key])
        finally:
            self._texts = {}
        for doc in docs:
            self.save_extras(doc, fresh=doc.id not in placed_before, credits=credits[doc.id])

    def _save_story(
        self, clusterer: StoryClusterer, key: str, merged_keys: list[str], added: list[int]
    ) -> None:
        story = clusterer.story(key)
        kept = self._unseen_originals.get(story.id)
        if kept is not None:  # one original per story: the clusterer's pick is one more report
            story.original_id, story.original_credit = None, None
        parents = {r.derived_id: r for r in story.relations}
        members: list[MemberRow] = []
        for member in story.article_ids:
            parent = parents.get(member)
            if parent is not None:
                row = MemberRow(
                    int(member),
                    parent.kind.value,
                    int(parent.source_id),
                    parent.confidence,
                    parent.evidence,
                )
            else:
                kind = "original" if member == story.original_id else "independent"
                row = MemberRow(int(member), kind, None, clusterer.assignment(member).confidence)
            state = (row.relation, row.derived_from, _rounded(row.confidence))
            if self._persisted.get(member) != state:
                members.append(row)
                self._persisted[member] = state
        self._align([parents[str(m.article_id)] for m in members if str(m.article_id) in parents])
        original = (int(story.original_id) if story.original_id else None, story.original_credit)
        unchanged = kept is not None or (
            self._originals.get(story.id) == original and not merged_keys
        )
        self._originals[story.id] = original
        self.store.save_story(
            StoryUpdate(
                key=story.id,
                members=members,
                merged_keys=merged_keys,
                original_article_id=None if unchanged else original[0],
                original_credit=original[1],
                first_published_at=story.first_published_at,
                added=added,
            )
        )

    def _align(self, relations: list[Relation]) -> None:
        """Add aligned sentences to the evidence of relations about to be written (once each:
        the evidence dict is the clusterer's, kept with the relation)."""
        todo = [r for r in relations if "aligned_sentences" not in r.evidence]
        if not todo:
            return
        texts = dict(self._texts)
        wanted = {int(i) for r in todo for i in (r.derived_id, r.source_id) if i not in texts}
        for article_id, article in self.store.articles_by_id(sorted(wanted)).items():
            texts[str(article_id)] = (article.text or "", article.language)
        for relation in todo:
            derived, source = texts.get(relation.derived_id), texts.get(relation.source_id)
            if derived is None or source is None:
                continue
            same = not (derived[1] and source[1]) or derived[1] == source[1]
            relation.evidence["aligned_sentences"] = aligned_sentences(
                derived[0],
                source[0],
                same_language=same,
                encoder=None if same else self.encoder,
            )

    def known_outlets(self, names: list[str]) -> None:
        """Outlet names that credit lines are matched against (registered sources' names)."""
        for name in names:
            if name:
                self._outlets.setdefault(name, None)

    def _credits_of(self, doc: StoryDoc) -> list[Credit]:
        return extract_credits(
            doc.text, lang=doc.lang, title=doc.title, known_outlets=list(self._outlets)
        )

    def save_extras(
        self, doc: StoryDoc, *, fresh: bool = False, credits: list[Credit] | None = None
    ) -> None:
        """Extract and store an article's credit lines and quotes (`fresh`: none stored yet;
        `credits`: already extracted)."""
        if not self.enabled:
            return
        if credits is None:
            credits = self._credits_of(doc)
        quotes = extract_quotes(doc.text, lang=doc.lang)
        self.store.save_article_extras(int(doc.id), credits, quotes, fresh=fresh)


def _unexpected(exc: Exception, what: str, source: Source, url: str | None = None) -> ActuelError:
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


def _sort_time(doc: StoryDoc) -> datetime:
    """The store's timeline order: published, else first seen (naive read as UTC)."""
    moment = doc.published_at or doc.first_seen_at or datetime.min
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _placing_order(doc: StoryDoc, now: datetime) -> tuple[bool, datetime]:
    moment = latest_time(doc, now=now)
    return moment is None, moment or now


def _placed(clusterer: StoryClusterer, doc_id: str) -> bool:
    try:
        clusterer.assignment(doc_id)
    except KeyError:
        return False
    return True


def _rounded(value: float | None) -> float | None:
    return round(float(value), 4) if value is not None else None


# --- the orchestrator ------------------------------------------------------------------------


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

    # worker-side work (no store access) -------------------------------------------------------

    def _logged_get(
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

    def _collect_feed(self, source: Source) -> FeedCollected:
        fetched, error, entry = self._logged_get(
            source.url,
            source=source,
            kind="feed",
            etag=source.etag,
            last_modified=source.last_modified,
        )
        logs = [entry]
        if error or fetched is None or fetched.not_modified:
            return source, None, fetched, error, logs
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
                return source, home[1], home[0], None, logs
            return source, None, fetched, exc, logs
        except Exception as exc:  # a library's bug on this feed must not stop the pass
            return source, None, fetched, _unexpected(exc, "feed", source), logs
        return source, feed, fetched, None, logs

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
        home = _home_url(source.site_url or source.url)
        found, failed, entry = self._logged_get(home, source=source, kind="page")
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
            found, error, entry = self._logged_get(candidate.url, source=source, kind="feed")
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
                child, error, entry = self._logged_get(child_url, source=source, kind="feed")
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

    def _collect_page(self, source: Source, item: FeedItem) -> PageCollected:
        outcome = PageOutcome(source=source, item=item)
        if not self.settings.fetch_pages or not item.link:
            return outcome, None
        fetched, error, entry = self._logged_get(item.link, source=source, kind="page")
        if error or fetched is None:
            outcome.error = error
            return outcome, entry
        outcome.fetched = fetched
        outcome.html = fetched.content
        try:
            dated = item.published_at is not None or item.updated_at is not None
            outcome.page, outcome.language = self._extraction.extract(fetched, guess_date=not dated)
        except ActuelError as exc:
            outcome.error = exc
        except Exception as exc:  # the extractor's bug on this page: kept from the feed instead
            outcome.error = _unexpected(exc, "page", source, item.link)
        return outcome, entry

    def _collect_article(self, source: Source, item: FeedItem) -> PageCollected:
        """Fetch and extract an item's page, build the article and compress the page to store
        (worker side: the writer thread only writes)."""
        outcome, entry = self._collect_page(source, item)
        outcome.article = build_article(outcome, utcnow(), self.settings)
        if outcome.html is not None and outcome.page is not None:
            outcome.html_z = compress_html(outcome.html)
        self.stories.warm(outcome.article)
        return outcome, entry

    # writer-side work (the calling thread) ---------------------------------------------------

    def _new_items(self, source: Source, feed: Feed) -> list[FeedItem]:
        """Items whose article is not stored yet (by canonical URL, or guid of this source)."""
        assert source.id is not None
        linked: dict[str, FeedItem] = {}
        for item in feed.items:
            if item.link:
                linked.setdefault(canonical_url(item.link), item)
        guids = [item.guid for item in linked.values() if item.guid]
        known_urls, known_guids = self.store.known_articles(
            source.id, canonical_urls=list(linked), guids=guids
        )
        return [
            item
            for canonical, item in linked.items()
            if canonical not in known_urls and not (item.guid and item.guid in known_guids)
        ]

    def _store_page(self, outcome: PageOutcome) -> tuple[bool, bool] | None:
        """Store one page's article: (created, from the feed only), or None when empty."""
        return self._store_many([outcome])[0]

    def _store_many(self, outcomes: list[PageOutcome]) -> list[tuple[bool, bool] | None]:
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
        results: list[tuple[bool, bool] | None] = [None] * len(outcomes)
        stored = self.store.upsert_articles(writes)
        for index, write, (article_id, created) in zip(kept, writes, stored, strict=True):
            article = write.article
            if created:
                source_name = outcomes[index].source.name
                self._unplaced.append(story_doc(replace(article, id=article_id), source_name))
            results[index] = created, article.from_feed_only
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
        self, done: list[tuple[Source, PageCollected]], reports: dict[int, SourceReport]
    ) -> None:
        """Store pages that finished together in one transaction; if one of them is refused,
        store them one by one so that a bad item costs only itself."""
        if not done:
            return
        self.stories.ready()  # restoring reads the store: before the write transaction
        try:
            with self.store.batch():
                self.store.log_fetches([entry for _, (_, entry) in done if entry is not None])
                results = self._store_many([outcome for _, (outcome, _) in done])
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
            for source, (outcome, entry) in done:
                try:
                    with self.store.batch():
                        results.append(self._store_one(outcome, entry))
                except ActuelError as exc:
                    results.append(None)
                    log.warning(
                        "item not stored",
                        extra={
                            "source": source.label,
                            "url": outcome.item.link,
                            "error": exc.describe(),
                        },
                    )
        for (source, _), result in zip(done, results, strict=True):
            if result is None:
                continue
            assert source.id is not None
            report = reports[source.id]
            created, feed_only = result
            report.new_articles += created
            report.updated_articles += not created
            report.feed_only += feed_only

    def _store_one(self, outcome: PageOutcome, entry: FetchLog | None) -> tuple[bool, bool] | None:
        if entry is not None:
            self.store.log_fetch(entry)
        return self._store_page(outcome)

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
            recent = self.store.latest_articles(limit=20, source_id=source.id)
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
            self.store.update_source(updated)
        except StoreError:
            if updated.url == source.url:
                raise
            # its new address is another source's (a unique URL): it keeps its own
            updated.url, updated.kind = source.url, source.kind
            self.store.update_source(updated)
        report.source = updated

    def _fail_source(self, source: Source, error: ActuelError, report: SourceReport) -> None:
        if error.source is None:
            error.source = source.label
        updated = after_error(source, error, now=utcnow(), settings=self.settings)
        self.store.update_source(updated)
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
        collected: FeedCollected,
        report: SourceReport,
        feeds: dict[int, tuple[FetchResult | None, Feed | None]],
    ) -> list[FeedItem]:
        """Log the feed's fetches, record failure or 304, and return the items still to fetch."""
        source, feed, fetched, error, logs = collected
        assert source.id is not None
        for entry in logs:
            self.store.log_fetch(entry)
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

    def run_pass(self, sources: Iterable[Source] | None = None) -> PassReport:
        """Refresh every due source (or the given ones), then retry pages that failed before."""
        clock = time.monotonic()
        self.fetcher.load_holds()  # waits that hosts asked of other processes meanwhile
        todo = list(sources) if sources is not None else self.store.due_sources(utcnow())
        result = PassReport()
        feed_jobs: dict[Future[FeedCollected], Source] = {}
        page_jobs: dict[Future[PageCollected], Source] = {}
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
            job = self._pool.submit(self._collect_feed, source)
            feed_jobs[job] = source
            job.add_done_callback(completed.put)
        self.on_progress("sources", 0, total)
        while feed_jobs or page_jobs:
            outstanding = len(feed_jobs) + len(page_jobs)
            finished = _next_finished(completed, outstanding, gather=not feed_jobs)
            stored: list[tuple[Source, PageCollected]] = []
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
                        page_job = self._pool.submit(self._collect_article, source, item)
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
        wanted = self.store.images_wanted(limit)
        sources = {s.id: s for s in self.store.list_sources()}
        futures = [
            (want, self._pool.submit(self._collect_image, sources[want.source_id], want.url))
            for want in wanted
            if want.source_id in sources
        ]
        kept = 0
        for want, future in futures:
            thumb, error, entry = future.result()
            self.store.log_fetch(entry)
            if thumb is None:
                self.store.save_image(want.article_id, want.url, error=error)
                continue
            self.store.save_image(
                want.article_id, want.url, data=thumb.data, width=thumb.width,
                height=thumb.height, content_type=thumb.content_type,
            )  # fmt: skip
            kept += 1
        return kept

    def _collect_image(
        self, source: Source, url: str
    ) -> tuple[Thumbnail | None, str | None, FetchLog]:
        fetched, error, entry = self._logged_get(url, source=source, kind="image")
        if error is not None or fetched is None:
            return None, error.describe() if error else "no answer", entry
        content_type = (fetched.content_type or "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith("image/"):
            return None, f"{url} is served as {content_type}, not as an image", entry
        try:
            return make_thumbnail(fetched.content), None, entry
        except ImageRefused as exc:
            return None, f"{url}: {exc}", entry

    def retry_pages(self, limit: int = 200) -> int:
        """Fetch again the pages of articles kept from the feed alone, when their retry is due."""
        if not self.settings.fetch_pages:
            return 0
        now = utcnow()
        waiting = self.store.articles_needing_page(now, limit=limit)
        if not waiting:
            return 0
        sources = {s.id: s for s in self.store.list_sources()}
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
            futures.append((article, self._pool.submit(self._collect_page, source, item)))
        recovered = 0
        for article, future in futures:
            outcome, entry = future.result()
            if entry is not None:
                self.store.log_fetch(entry)
            now = utcnow()
            if outcome.page is None or not outcome.page.text.strip():
                attempts = article.page_attempts + 1
                article.page_attempts = attempts
                article.next_page_attempt_at = page_retry_at(
                    attempts, now=now, settings=self.settings
                )
                self.store.update_extraction(article)
                continue
            fresh = build_article(outcome, now, self.settings)
            fresh.canonical_url = article.canonical_url  # keep the row's identity
            fresh.id = article.id
            fresh.first_seen_at = article.first_seen_at
            fresh.published_at = article.published_at or fresh.published_at
            with self.store.batch():
                self.store.upsert_article(
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


def reprocess(
    store: Store, settings: Settings, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Re-extract every article from its stored raw HTML, without fetching anything."""
    count = 0
    now = utcnow()
    sources = {s.id: s for s in store.list_sources()}
    stories = StoriesStep(store, settings)  # credits and quotes follow the new text
    stories.known_outlets([s.name for s in sources.values()])
    for article, html, content_type in store.iter_raw_pages():
        page = extract_page(
            html,
            url=article.url,
            content_type=content_type,
            max_bytes=settings.extract_max_html_bytes,
            guess_date=article.published_at is None,  # a stored date beats one read in the text
        )
        source = sources.get(article.source_id)
        if page.text.strip():
            article.text = page.text
            article.title = page.title or article.title
            article.author = page.author or article.author
            article.image = page.image or article.image
            article.language = choose_language(
                page.text, article.title, page.language, source.lang if source else None
            )
            published = _plausible(page.published_at, now)
            article.published_at = published or article.published_at
            article.content_hash = content_hash(page.text)
            article.from_feed_only = False
            article.extracted_at = now
            filed = rubriques.classify(article.title, article.summary, page.text, page.categories)
            if filed is not None:  # how a database from before rubriques gets them
                article.rubrique, article.rubrique_by = filed.slug, filed.by
            with store.batch():
                store.update_extraction(article)
                stories.save_extras(story_doc(article, source.name if source else None))
        count += 1
        if on_progress:
            on_progress(count)
    return count


# --- adding a source: discovery ---------------------------------------------------------------


@dataclass
class DiscoveryResult:
    """What a URL turned out to be, and the source to register for it."""

    url: str
    kind: SourceKind
    title: str | None
    site_url: str | None
    language: str | None
    candidates: list[Discovered]


def discover(url: str, fetcher: Fetcher) -> DiscoveryResult:
    """Find what to poll for a URL: a feed or sitemap as is, else the feeds a home page announces,
    else common feed paths and robots.txt `Sitemap:` lines, else the home page itself."""
    fetched = fetcher.get(url, purpose="discovery", source=url)
    if not fetched.content.strip():
        raise ParseError(
            f"{fetched.final_url} answered HTTP {fetched.status} with an empty body: "
            "no feed, sitemap or page to poll",
            fix="check the address in a browser; give the site's feed or home page",
            source=url,
        )
    kind_of = detect_format(fetched.content, fetched.content_type)
    if kind_of and kind_of != "html":
        feed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.content_type)
        return DiscoveryResult(
            url=fetched.final_url,
            kind=_kind_of_format(feed.format),
            # a sitemap has no title (nor have some feeds): the site's name, not its host
            title=feed.title or _site_name(fetched.final_url, fetcher),
            site_url=feed.link,
            language=feed.language,
            candidates=[],
        )
    html = decode_document(fetched.content, fetched.content_type)
    page = extract_page(html, url=fetched.final_url)
    candidates = feed_links_from_html(html, fetched.final_url)
    for candidate in candidates:
        found = _try_feed(candidate.url, fetcher)
        if found:
            return DiscoveryResult(
                url=found[0],
                kind=found[1],
                title=found[2] or page.site_name,
                site_url=fetched.final_url,
                language=page.language,
                candidates=candidates,
            )
    probes: list[str] = []
    try:
        robots = fetcher.get(_robots_url(fetched.final_url), purpose="robots", source=url)
        probes += sitemaps_from_robots(
            decode_document(robots.content, robots.content_type), fetched.final_url
        )
    except FetchError:
        pass
    probes += common_feed_paths(fetched.final_url)
    for probe in dict.fromkeys(probes):
        found = _try_feed(probe, fetcher)
        if found:
            return DiscoveryResult(
                url=found[0],
                kind=found[1],
                title=found[2] or page.site_name,
                site_url=fetched.final_url,
                language=page.language,
                candidates=candidates,
            )
    if not article_links_from_home(html, fetched.final_url, max_links=1):
        raise ParseError(
            f"{fetched.final_url} announces no feed, lists no sitemap and links to no article",
            fix="give the address of the site's feed, sitemap or a home page listing articles",
            source=url,
        )
    return DiscoveryResult(
        url=fetched.final_url,
        kind=SourceKind.PAGE,
        title=page.site_name or page.title,
        site_url=fetched.final_url,
        language=page.language,
        candidates=candidates,
    )


def _site_name(url: str, fetcher: Fetcher) -> str | None:
    """The name a site's home page gives itself (og:site_name, else its title), if it answers."""
    home = _home_url(url)
    try:
        fetched = fetcher.get(home, purpose="discovery", source=url)
    except ActuelError:
        return None
    if detect_format(fetched.content, fetched.content_type) not in (None, "html"):
        return None
    page = extract_page(decode_document(fetched.content, fetched.content_type), url=home)
    return page.site_name or page.title


def _robots_url(url: str) -> str:
    return _home_url(url) + "robots.txt"


def _home_url(url: str) -> str:
    """The root of `url`'s site: scheme://host[:port]/."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def _kind_of_format(fmt: str) -> SourceKind:
    return (
        SourceKind.SITEMAP
        if fmt.startswith("sitemap") or fmt == "newssitemap"
        else (SourceKind.FEED)
    )


def _try_feed(url: str, fetcher: Fetcher) -> tuple[str, SourceKind, str | None] | None:
    try:
        fetched = fetcher.get(url, purpose="discovery", source=url)
        feed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.content_type)
    except (FetchError, NotAFeedError):
        return None
    except ActuelError:
        return None
    if not feed.items and not feed.sitemaps:
        return None
    return fetched.final_url, _kind_of_format(feed.format), feed.title


def new_source(url: str, discovery: DiscoveryResult | None, **fields: object) -> Source:
    """A Source to register, from what discovery found and the operator's own fields."""
    source = Source(url=discovery.url if discovery else url)
    if discovery:
        source.kind = discovery.kind
        source.name = discovery.title or ""
        source.site_url = discovery.site_url
        source.lang = discovery.language
    for name, value in fields.items():
        if value is not None:
            setattr(source, name, value)
    if not source.name:
        source.name = urlsplit(source.url).hostname or source.url
    source.state = SourceState.ACTIVE
    return source
