"""What each page shows, gathered from the store as plain data (no HTML here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from actuel.enrich.machine_translation import MachineSigns, machine_signs
from actuel.errors import NotFoundError
from actuel.model import Article, QuoteView, Source, StoryMember, StoryView, Translation
from actuel.store import Store


@dataclass
class LanguageGroup:
    """The articles of a story in one language."""

    lang: str | None
    members: list[StoryMember]


@dataclass
class StoryPage:
    """A story page: the story, its timeline, outlets per language, quotes, related stories."""

    story: StoryView
    timeline: list[StoryMember]
    original: StoryMember | None
    by_id: dict[int, StoryMember]
    groups: list[LanguageGroup]
    quotes: list[QuoteView]
    related: list[StoryView]

    @property
    def speakers(self) -> list[tuple[str | None, list[QuoteView]]]:
        """Quotes grouped by speaker, in order of first appearance; unattributed ones last."""
        groups: dict[str | None, list[QuoteView]] = {}
        for quote in self.quotes:
            groups.setdefault(quote.speaker, []).append(quote)
        return sorted(groups.items(), key=lambda item: item[0] is None)


@dataclass
class ArticleCredit:
    """Where an article sits in its story, and who reported first."""

    story: StoryView
    member: StoryMember
    original: Article | None = None  # the original article when it is another one we ingested
    derived_from: Article | None = None  # what this article derives from, when not the original
    derived_from_outlet: str | None = None
    is_original: bool = False


@dataclass
class ArticlePage:
    article: Article
    source: Source | None
    credit: ArticleCredit | None = None
    sources: dict[int, Source] = field(default_factory=dict)
    image_kept: bool = False  # its image has a local copy (web/images.py)
    translations: dict[str, Translation] = field(default_factory=dict)  # by language
    machine: MachineSigns | None = None  # a translation showing signs of a machine's, unedited
    text_requested: set[str] = field(default_factory=set)  # languages its whole text awaits


def member_time(member: StoryMember) -> datetime | None:
    """When an article came out: its published time, else when we first saw it."""
    return member.article.published_at or member.article.first_seen_at


def story_page(store: Store, view: StoryView, site_lang: str) -> StoryPage:
    """Everything the story page shows; the site's language comes first among the groups."""
    members = store.stories.members(view.id)
    by_id = {m.article.id: m for m in members if m.article.id is not None}
    original = by_id.get(view.original_article_id) if view.original_article_id else None
    langs: dict[str | None, list[StoryMember]] = {}
    for member in members:
        langs.setdefault(member.article.language, []).append(member)
    order = sorted(langs, key=lambda lang: (lang != site_lang, lang is None, lang or ""))
    quotes = store.stories.quotes(view.id)
    for quote in quotes:  # the reader's language first among a quote's translations
        quote.translations.sort(key=lambda t: t.lang != site_lang)
    return StoryPage(
        story=view,
        timeline=members,
        original=original,
        by_id=by_id,
        groups=[LanguageGroup(lang, langs[lang]) for lang in order],
        quotes=quotes,
        related=store.stories.related(view.id),
    )


def article_page(
    store: Store, article_id: int, sources: dict[int, Source] | None = None
) -> ArticlePage:
    """An article, its outlet and its credit; NotFoundError when there is no such article.

    `sources`: every source by id, when the caller already has them."""
    article = store.articles.get(article_id)
    if sources is None:
        sources = {s.id: s for s in store.sources.all() if s.id is not None}
    page = ArticlePage(article=article, source=sources.get(article.source_id), sources=sources)
    page.image_kept = article_id in store.images.kept([article_id])
    page.translations = {t.lang: t for t in store.translations.of_articles([article_id])}
    page.text_requested = store.translations.text_requested(article_id)
    found = store.stories.of_article(article_id)
    if found is None:
        return page
    view, member = found
    credit = ArticleCredit(story=view, member=member)
    credit.is_original = view.original_article_id == article_id and not view.original_credit
    if view.original_article_id and view.original_article_id != article_id:
        credit.original = _article_or_none(store, view.original_article_id)
    if member.derived_from and member.derived_from != view.original_article_id:
        credit.derived_from = _article_or_none(store, member.derived_from)
        if credit.derived_from is not None:
            source = sources.get(credit.derived_from.source_id)
            credit.derived_from_outlet = source.name if source else None
    page.credit = credit
    if member.relation == "translation":
        model = credit.derived_from or credit.original
        signs = machine_signs(
            f"{article.title or ''}\n\n{article.text or ''}",
            article.language,
            f"{model.title or ''}\n\n{model.text or ''}" if model else None,
            model.language if model else None,
        )
        page.machine = signs if signs.likely else None
    return page


def _article_or_none(store: Store, article_id: int) -> Article | None:
    try:
        return store.articles.get(article_id)
    except NotFoundError:
        return None


@dataclass
class LatestNews:
    """The "Dernières nouvelles" list beside a page: stories, else articles while none exists."""

    stories: list[StoryView]
    articles: list[Article]

    def leaving_out(self, story_id: int | None, size: int) -> LatestNews:
        """At most `size` of them, without the story the page is about."""
        stories = [s for s in self.stories if s.id != story_id]
        return LatestNews(stories[:size], self.articles[:size])


def latest_news(store: Store, size: int) -> LatestNews:
    """The `size` latest stories, else articles while no story exists."""
    stories = store.stories.latest(limit=size)
    if stories:
        return LatestNews(stories, [])
    return LatestNews([], store.articles.latest(limit=size))


def listing_filters(
    sources: list[Source], story_categories: Sequence[str] = ()
) -> dict[str, list[str]]:
    """The categories and languages a reader can filter listings by: the stories' rubriques and
    the sources' categories; the sources' languages."""
    categories = sorted({s.category for s in sources if s.category} | set(story_categories))
    languages = sorted({s.lang.lower() for s in sources if s.lang})
    return {"categories": categories, "languages": languages}


def latest_in_category(
    store: Store,
    sources: list[Source],
    category: str,
    limit: int,
    before: tuple[datetime, int] | None,
    lang: str | None,
) -> list[Article]:
    """The newest articles of the category's outlets, merged in the listings' order."""
    found: list[Article] = []
    for source in sources:
        if source.category == category and source.id is not None:
            found += store.articles.latest(
                limit=limit, before=before, lang=lang, source_id=source.id
            )
    oldest = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda a: (a.published_at or a.first_seen_at or oldest, a.id or 0))
    return found[::-1][:limit]
