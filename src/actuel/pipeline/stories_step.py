"""The stories step of ingest: stored articles placed in stories as they come, and what changed
written in the same transaction (story rows, merges, relations, credit lines, quotes)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from actuel.config import Settings
from actuel.enrich.quotes import extract_quotes
from actuel.model import Article, Credit, Relation, StoryDoc
from actuel.pipeline import utcnow
from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate, WindowRow
from actuel.stories.align import aligned_sentences
from actuel.stories.cluster import StoryClusterer, batched
from actuel.stories.credits import extract_credits
from actuel.stories.encoder import Encoder, default_encoder
from actuel.stories.fingerprint import embedding_text, title_text
from actuel.times import latest_time

log = logging.getLogger("actuel.pipeline")

STORIES_BATCH = 64  # new articles placed in stories together (one write per story touched)


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
        newest = self.store.articles.newest_time()
        since = min(utcnow(), newest or utcnow()) - timedelta(days=self.window_days)
        rows = self.store.stories.window(since)
        self._restore(clusterer, rows)
        self._clusterer = clusterer
        unplaced = [r.doc for r in rows if not r.key]
        if unplaced:
            log.info("placing articles stored before stories", extra={"count": len(unplaced)})
            with self.store.batch():
                self.place_many(unplaced)
        return clusterer

    def _fresh_clusterer(self) -> StoryClusterer:
        self._outlets = {s.name: None for s in self.store.sources.all() if s.name}
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
        start = since or self.store.articles.oldest_time()
        newest = self.store.articles.newest_time()
        if start is None or newest is None:
            return 0
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        total = self.store.articles.count_unplaced(start)
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
                rows = self.store.stories.window(cursor, upto)
                if not rows:  # a gap in the archive: on to the next day that has articles
                    following = self.store.articles.oldest_time(upto)
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
        self.store.stories.save(
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
        for article_id, article in self.store.articles.by_ids(sorted(wanted)).items():
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
        self.store.articles.save_extras(int(doc.id), credits, quotes, fresh=fresh)


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
