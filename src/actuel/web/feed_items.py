"""What an outgoing feed says, gathered from the store as plain data."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from actuel.model import Article, Source, StoryMember, StoryView, Translation
from actuel.store import Store
from actuel.text import excerpt
from actuel.web.images import image_url
from actuel.web.render import safe_href

Gettext = Callable[..., str]


@dataclass
class OriginalSource:
    """Who published the item first: the outlet's name, the original's URL and the outlet's feed."""

    outlet: str
    url: str | None = None
    feed_url: str | None = None


@dataclass
class FeedEntry:
    """One item: our page for it, plain-text title and summary, the original credited."""

    id: str  # our page's absolute URL: stable, and what readers open
    url: str
    title: str
    summary: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    language: str | None = None
    image: str | None = None
    credit: OriginalSource | None = None
    credit_line: str = ""  # "Publié d'abord par AFP", in the reader's language


@dataclass
class FeedDoc:
    """A whole feed: its title, our page it mirrors, its own address, its entries."""

    title: str
    site_name: str
    home_url: str  # the HTML page this feed follows
    self_url: str  # the feed's own address (without its extension)
    language: str
    description: str = ""
    updated: datetime | None = None
    entries: list[FeedEntry] = field(default_factory=list)


def _latest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _credit(
    article: Article | None, source: Source | None, fallback: str | None
) -> OriginalSource | None:
    if article is not None and source is not None:
        name = source.name or article.site_name or source.url
        return OriginalSource(name, safe_href(article.url), safe_href(source.url))
    if fallback:
        return OriginalSource(fallback)
    return None


def story_entries(
    store: Store, views: list[StoryView], base: str, _: Gettext, summary_chars: int, lang: str
) -> list[FeedEntry]:
    """Feed entries for stories, each under its headline in `lang` (a member's in that language
    when the story has one, as the site shows it), crediting the outlet that published first."""
    originals = store.articles.by_ids(
        [v.original_article_id for v in views if v.original_article_id]
    )
    sources = {s.id: s for s in store.sources.all()}
    entries = []
    for view in views:
        original = originals.get(view.original_article_id or -1)
        source = sources.get(original.source_id) if original else None
        credit = _credit(original, source, view.original_credit or view.original_source)
        url = f"{base}/stories/{view.key}"
        headline = view.headline(lang)
        entries.append(
            FeedEntry(
                id=url,
                url=url,
                title=headline.title or _("Sans titre"),
                summary=excerpt(headline.summary, summary_chars),
                published=view.first_published_at or view.updated_at,
                updated=_latest(view.updated_at, view.first_published_at),
                author=original.author if original else None,
                language=headline.language,
                image=f"{base}{image_url(view.original_article_id)}" if view.image_kept else None,
                credit=credit,
                credit_line=_machine_made(
                    _,
                    headline.translated_from is not None,
                    _("Publié d'abord par %(outlet)s", outlet=credit.outlet) if credit else "",
                ),
            )
        )
    return entries


def _machine_made(_: Gettext, translated: bool, line: str) -> str:
    """The credit line, saying first that the title and summary are our machine translation."""
    if not translated:
        return line
    return " · ".join(p for p in (_("Traduction automatique"), line) if p)


def article_entry(
    article: Article,
    source: Source | None,
    base: str,
    _: Gettext,
    summary_chars: int,
    relation: str | None = None,
    kept: Collection[int] = (),
    translation: Translation | None = None,
) -> FeedEntry:
    """A feed entry for one article, crediting the outlet it came from; its image when `kept`
    (the ids of articles whose image has a local copy) holds it; under our machine translation
    of its title and summary when `translation` is given (the link to the original stays)."""
    url = f"{base}/articles/{article.id}"
    credit = _credit(article, source, article.site_name)
    if credit is None:
        line = ""
    elif relation in (None, "original", "independent"):
        line = _("Publié d'abord par %(outlet)s", outlet=credit.outlet)
    else:
        line = _("Repris par %(outlet)s", outlet=credit.outlet)
    ours = translation if translation is not None and translation.title else None
    return FeedEntry(
        id=url,
        url=url,
        title=(ours.title if ours else article.title) or _("Sans titre"),
        summary=excerpt(
            ours.summary if ours and ours.summary else article.summary or article.text,
            summary_chars,
        ),
        published=article.published_at or article.first_seen_at,
        updated=_latest(article.published_at, article.first_seen_at, article.extracted_at),
        author=article.author,
        language=ours.lang if ours else article.language,
        image=f"{base}{image_url(article.id)}" if article.id in kept else None,
        credit=credit,
        credit_line=_machine_made(_, ours is not None, line),
    )


def member_entries(
    members: list[StoryMember],
    sources: dict[int, Source],
    base: str,
    _: Gettext,
    chars: int,
    kept: Collection[int] = (),
    translated: Mapping[int, Translation] | None = None,
) -> list[FeedEntry]:
    """The articles of a story, newest first (`translated`: article id -> our translation)."""
    entries = [
        article_entry(
            m.article,
            sources.get(m.article.source_id),
            base,
            _,
            chars,
            m.relation,
            kept,
            (translated or {}).get(m.article.id),
        )
        for m in members
        if m.article.id is not None
    ]
    entries.sort(key=lambda e: (e.published is not None, e.published), reverse=True)
    return entries


def newest(entries: list[FeedEntry]) -> datetime | None:
    return _latest(*(e.updated or e.published for e in entries))
