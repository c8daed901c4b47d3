"""What the enrich stage adds to an assembled article: its language and its rubrique."""

from __future__ import annotations

from collections.abc import Sequence

from actuel.enrich import rubriques
from actuel.enrich.language import detect_language
from actuel.model import Article


def choose_language(text: str, title: str | None, *hints: str | None) -> str | None:
    """Detected language of the text; the page's or source's declared language when too short."""
    hint = next((h.split("-")[0].lower() for h in hints if h), None)
    detected = detect_language(text, title=title, hint=hint)
    return detected or hint


def enrich_article(
    article: Article,
    *,
    detected: str | None = None,
    hints: Sequence[str | None] = (),
    categories: Sequence[str] = (),
) -> Article:
    """The article with its language and rubrique set (in place, and returned).

    `detected`: the language already detected from the page's text (in an extraction worker);
    a text from the feed alone is detected here, the declared `hints` (page, item, source)
    standing in when it is too short. `categories`: the publisher's own (page and feed)."""
    if detected and not article.from_feed_only:
        article.language = detected
    else:
        article.language = choose_language(article.text or "", article.title, *hints)
    filed = rubriques.classify(article.title, article.summary, article.text, categories)
    article.rubrique = filed.slug if filed else None
    article.rubrique_by = filed.by if filed else None
    return article
