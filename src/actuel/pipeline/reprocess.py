"""Extract every stored page again (a better extractor, new rubriques), fetching nothing."""

from __future__ import annotations

from collections.abc import Callable

from actuel.config import Settings
from actuel.enrich import rubriques
from actuel.enrich.article import choose_language
from actuel.extract import extract_page
from actuel.extract.article import content_hash, plausible_date
from actuel.pipeline import utcnow
from actuel.pipeline.stories_step import StoriesStep, story_doc
from actuel.store import Store


def reprocess(
    store: Store, settings: Settings, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Re-extract every article from its stored raw HTML, without fetching anything."""
    count = 0
    now = utcnow()
    sources = {s.id: s for s in store.sources.all()}
    stories = StoriesStep(store, settings)  # credits and quotes follow the new text
    stories.known_outlets([s.name for s in sources.values()])
    for article, html, content_type in store.articles.raw_pages():
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
            published = plausible_date(page.published_at, now)
            article.published_at = published or article.published_at
            article.content_hash = content_hash(page.text)
            article.from_feed_only = False
            article.extracted_at = now
            filed = rubriques.classify(article.title, article.summary, page.text, page.categories)
            if filed is not None:  # how a database from before rubriques gets them
                article.rubrique, article.rubrique_by = filed.slug, filed.by
            with store.batch():
                store.articles.update_extraction(article)
                stories.save_extras(story_doc(article, source.name if source else None))
        count += 1
        if on_progress:
            on_progress(count)
    return count
