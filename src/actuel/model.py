"""Plain data passed between pipeline stages: sources, fetch results, feeds, pages, articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SourceKind(StrEnum):
    """How a source exposes its articles."""

    FEED = "feed"  # RSS, Atom or JSON Feed
    SITEMAP = "sitemap"  # sitemap, news sitemap or sitemap index
    PAGE = "page"  # a home page whose article links we follow


class SourceState(StrEnum):
    """Health of a source as the scheduler sees it."""

    ACTIVE = "active"
    ERROR = "error"  # failing, retried with backoff
    PAUSED = "paused"  # stopped by an operator
    DISABLED = "disabled"  # stopped by us (410 Gone, too many errors)


@dataclass
class Source:
    """A feed, sitemap or home page we poll."""

    url: str
    name: str = ""
    kind: SourceKind = SourceKind.FEED
    lang: str | None = None
    category: str | None = None
    interval_s: int | None = None  # None: the poll_interval setting, adapted
    id: int | None = None
    site_url: str | None = None
    state: SourceState = SourceState.ACTIVE
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    last_error_code: str | None = None  # the error's stable code (errors.py): fetch.connect, …
    created_at: datetime | None = None

    @property
    def label(self) -> str:
        """How errors name this source: `source 12 (https://…)`."""
        return f"source {self.id} ({self.url})" if self.id is not None else f"source {self.url}"


@dataclass
class FetchResult:
    """What came back from one GET, after redirects and decoding."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    content: bytes  # decoded (gzip/deflate/br removed), capped
    elapsed_s: float
    wire_bytes: int
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect: str | None = None  # a 301/308 target, checked, for updating the stored URL
    truncated: bool = False  # cut at the download limit (a feed is read that far, not refused)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class Enclosure:
    """A media file attached to a feed item."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass
class FeedItem:
    """One entry of a feed or one URL of a sitemap."""

    link: str | None
    title: str | None = None
    guid: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    author: str | None = None
    summary: str | None = None  # HTML or text, as given
    content: str | None = None  # HTML or text, as given
    enclosures: list[Enclosure] = field(default_factory=list)
    language: str | None = None
    image: str | None = None
    keywords: list[str] = field(default_factory=list)


@dataclass
class Feed:
    """A parsed feed or sitemap: its metadata and items."""

    format: str  # rss, atom, json, rdf, sitemap, sitemapindex, newssitemap
    title: str | None = None
    link: str | None = None
    language: str | None = None
    description: str | None = None
    updated_at: datetime | None = None
    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    notes: list[str] = field(default_factory=list)  # e.g. "12,000 items, kept the first 1,000"
    parser: str = ""  # which parser produced it (fastfeedparser, feedparser, lxml)


@dataclass
class ExtractedPage:
    """Main text and metadata pulled from one HTML page."""

    title: str | None = None
    text: str = ""
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    site_name: str | None = None
    categories: list[str] = field(default_factory=list)
    read_more_url: str | None = None  # an excerpt's "Lire la suite sur …" link to another site


@dataclass
class Article:
    """A stored news article: from a page, or from the feed alone when the page failed."""

    source_id: int
    url: str
    canonical_url: str
    title: str
    text: str = ""
    guid: str | None = None
    summary: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    image: str | None = None
    site_name: str | None = None
    content_hash: str | None = None
    from_feed_only: bool = False  # True: page not fetched yet, text from the feed
    page_attempts: int = 0
    next_page_attempt_at: datetime | None = None
    id: int | None = None
    first_seen_at: datetime | None = None
    extracted_at: datetime | None = None
    hidden_at: datetime | None = None  # hidden from readers by an editor
    edited_at: datetime | None = None  # title or summary corrected by an editor
    original_title: str | None = None  # as extracted, when corrected
    original_summary: str | None = None
    rubrique: str | None = None  # subject section: politique, economie, sport… (enrich/rubriques)
    rubrique_by: str | None = None  # category (the publisher's), text, editor


@dataclass
class FetchLog:
    """One attempt to fetch a URL, for the fetch log."""

    url: str
    started_at: datetime
    source_id: int | None = None
    status: int | None = None
    elapsed_s: float | None = None
    wire_bytes: int | None = None
    error_code: str | None = None
    error: str | None = None
    kind: str = "feed"  # feed, page, robots, discovery


@dataclass
class Translation:
    """An article's title and lead machine-translated into one language, and what made them."""

    article_id: int
    lang: str
    source_lang: str
    title: str | None
    summary: str | None
    text: str | None = None
    backend: str | None = None
    model: str | None = None
    translated_at: datetime | None = None


# --- stories and provenance --------------------------------------------------------------------


class RelationKind(StrEnum):
    """How one article derives from another of the same story (derived → source)."""

    COPY = "copy"  # near-verbatim, same language, perhaps another template
    EXCERPT = "excerpt"  # a cut-off prefix or teaser of a longer article
    REWRITE = "rewrite"  # the same report re-worded
    TRANSLATION = "translation"  # the same report in another language
    INDEPENDENT = "independent"  # the same event, separately reported (no direction)


@dataclass
class StoryDoc:
    """What the stories stage needs of an article (plain data, batch tools and the store alike)."""

    id: str
    title: str
    text: str
    url: str | None = None
    published_at: datetime | None = None
    lang: str | None = None
    source: str | None = None  # outlet name
    first_seen_at: datetime | None = None  # when we first saw it: bounds published_at


@dataclass
class Credit:
    """A credit line naming an outlet inside an article: "(AFP)", "selon Reuters", "Source : X"."""

    outlet: str  # display name: "AFP", "Agence Horizon Presse", "nouvelles-dujour.com"
    kind: str  # wire, source, told_to, according_to, reporting_by, cited_by, read_more
    phrase: str  # the matched text
    lang: str | None = None
    position: float = 0.0  # where in the text, 0 (start) .. 1 (end)


@dataclass
class Quote:
    """A direct quote and who said it."""

    text: str
    speaker: str | None = None
    lang: str | None = None
    # the folded words that copies of the quote share (`enrich.quotes.quote_key`), set where
    # the quote is found: the store files quotes under it without knowing how it is made
    key: str = field(default="", compare=False)


@dataclass
class Relation:
    """A derived article and what it derives from, with confidence and evidence."""

    derived_id: str
    source_id: str
    kind: RelationKind
    confidence: float
    evidence: dict[str, object] = field(default_factory=dict)


@dataclass
class Story:
    """Articles of all outlets and languages about one event, and who reported it first."""

    id: str
    article_ids: list[str]
    original_id: str | None = None  # the earliest article not derived from another
    original_credit: str | None = None  # an outlet named in credit lines, when not ingested
    title: str | None = None
    first_published_at: datetime | None = None
    relations: list[Relation] = field(default_factory=list)


# --- stories as the store shows them (site, API) -------------------------------------------------


@dataclass
class Headline:
    """The title and lead a story shows readers of one language, and the member they are from."""

    title: str | None
    summary: str | None
    language: str | None
    article_id: int | None
    translated_from: str | None = None  # a machine translation of the member's, from this language
    translator: str | None = None  # the backend and model that made it ("ctranslate2 en-fr")


@dataclass
class StoryView:
    """A stored story with what a page needs to list it."""

    id: int
    key: str  # stable public id used in links; merged stories redirect to the survivor's key
    title: str | None = None  # the original's title
    summary: str | None = None  # the original's lead
    original_article_id: int | None = None
    original_credit: str | None = None  # an outlet named in credit lines, not ingested
    original_source: str | None = None  # name of the outlet that published the original
    first_published_at: datetime | None = None
    updated_at: datetime | None = None
    article_count: int = 0
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    image: str | None = None  # the original's image, at its outlet
    image_kept: bool = False  # a local copy of it is served at /images/{original_article_id}.webp
    category: str | None = None
    language: str | None = None  # the original's language, when the original was ingested
    # language -> a member's title and lead in that language (the original's in its own)
    headlines: dict[str, Headline] = field(default_factory=dict)

    def headline(self, lang: str | None) -> Headline:
        """What readers of `lang` see as the story's title and lead: a member's in their
        language when the story has one, else the original's machine-translated into it when
        that was done, else the original's."""
        found = self.headlines.get(lang) if lang else None
        if found is not None:
            return found
        return Headline(self.title, self.summary, self.language, self.original_article_id)


@dataclass
class StoryMember:
    """One article of a story, with what it derives from."""

    article: Article
    source_name: str
    relation: str  # original, independent, copy, excerpt, rewrite, translation
    derived_from: int | None = None  # article id
    confidence: float | None = None
    evidence: dict[str, object] = field(default_factory=dict)


@dataclass
class QuoteView:
    """A quote of a story: who said it and which articles carry it."""

    text: str
    speaker: str | None
    lang: str | None
    article_ids: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    # the same words in other languages, from the story's translations (each with its carriers)
    translations: list[QuoteView] = field(default_factory=list)


# --- comments -------------------------------------------------------------------------------------


@dataclass
class Comment:
    """A reader's comment under an article; the e-mail address is kept only as a keyed hash."""

    article_id: int
    author_name: str
    text: str
    email_hash: str
    status: str = "pending"  # pending, published, spam, deleted
    hold_reason: str | None = None  # why it waits: new_author, too_fast, links
    address_hash: str | None = None  # the poster's network address, keyed hash (moderation)
    created_at: datetime | None = None
    moderated_at: datetime | None = None
    id: int | None = None
