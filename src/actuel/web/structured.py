"""What machines read from a page: JSON-LD NewsArticle with provenance, OpenGraph, share links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from actuel.model import Article, Source, StoryMember
from actuel.web.render import safe_href
from actuel.web.views import ArticlePage, StoryPage

JSON = dict[str, Any]
FACEBOOK = "https://www.facebook.com/sharer/sharer.php?"
X_POST = "https://twitter.com/intent/tweet?"


@dataclass(frozen=True)
class ShareLink:
    network: str
    url: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Plain links to share a page: no script, nothing loaded from those sites until clicked."""
    return [
        ShareLink("Facebook", FACEBOOK + urlencode({"u": url})),
        ShareLink("X", X_POST + urlencode({"url": url, "text": title})),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        ShareLink(
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink("E-mail", f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}"),
    ]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _drop_empty(data: JSON) -> JSON:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _organization(name: str | None, url: str | None = None) -> JSON | None:
    if not name:
        return None
    return _drop_empty({"@type": "Organization", "name": name, "url": safe_href(url)})


def _work(article: Article, outlet: str | None) -> JSON:
    """Another outlet's article, as a work ours is based on."""
    return _drop_empty(
        {
            "@type": "NewsArticle",
            "url": safe_href(article.url),
            "headline": article.title,
            "inLanguage": article.language,
            "datePublished": _iso(article.published_at),
            "publisher": _organization(outlet),
        }
    )


def _software(name: str | None) -> JSON:
    """The program that machine-translated a text (a translator that is no person)."""
    return {"@type": "SoftwareApplication", "name": name or "machine translation"}


def article_json_ld(
    page: ArticlePage,
    url: str,
    site_name: str,
    image: str | None = None,
    lang: str | None = None,
) -> JSON:
    """Our page about someone else's article: what it is based on and, for a translation, what
    it translates; the outlet that published it is the publisher, we are not. Our machine
    translation of its title and lead into `lang`, when the page shows one, is a work of its
    own: a translation of the outlet's, by software."""
    article, source = page.article, page.source
    outlet = source.name if source else article.site_name
    data: JSON = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article.language,
        "datePublished": _iso(article.published_at or article.first_seen_at),
        "author": {"@type": "Person", "name": article.author} if article.author else None,
        "publisher": _organization(outlet, source.site_url if source else None),
        "image": image,  # our local copy (web/images.py): never the outlet's file
        "provider": _organization(site_name),
    }
    based_on = [_work(article, outlet)]
    credit = page.credit
    if credit is not None and credit.original is not None:
        original_source = page.sources.get(credit.original.source_id)
        based_on.append(_work(credit.original, original_source.name if original_source else None))
    if credit is not None and credit.story.original_credit:
        based_on.append(
            {"@type": "NewsArticle", "publisher": _organization(credit.story.original_credit)}
        )
    data["isBasedOn"] = [w for w in based_on if len(w) > 1]
    if credit is not None and credit.member.relation == "translation":
        source_of = credit.derived_from or credit.original
        if source_of is not None:
            outlet_of = page.sources.get(source_of.source_id)
            data["translationOfWork"] = _work(source_of, outlet_of.name if outlet_of else None)
    ours = page.translations.get(lang) if lang and lang != article.language else None
    if ours is not None and ours.title:
        data["workTranslation"] = _drop_empty(
            {
                "@type": "NewsArticle",
                "headline": ours.title,
                "description": ours.summary,
                "inLanguage": ours.lang,
                "url": url,
                "translationOfWork": _work(article, outlet),
                "translator": _software(" ".join(p for p in (ours.backend, ours.model) if p)),
            }
        )
    return _drop_empty(data)


def story_json_ld(
    page: StoryPage, url: str, site_name: str, lang: str, image: str | None = None
) -> JSON:
    """A story: its headline as readers of `lang` see it, the original it is based on, the
    outlets that carried it as its sources."""
    story = page.story
    headline = story.headline(lang)
    original: StoryMember | None = page.original
    based_on: list[JSON] = []
    if original is not None:
        based_on.append(_work(original.article, original.source_name))
    elif story.original_credit or story.original_source:
        name = story.original_credit or story.original_source
        based_on.append({"@type": "NewsArticle", "publisher": _organization(name)})
    if original is not None and story.original_credit:
        based_on.append({"@type": "NewsArticle", "publisher": _organization(story.original_credit)})
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline.title,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": headline.language,
            "datePublished": _iso(story.first_published_at),
            "dateModified": _iso(story.updated_at),
            "image": image,
            "provider": _organization(site_name),
            "isBasedOn": based_on,
            "translationOfWork": _work(original.article, original.source_name)
            if headline.translated_from and original is not None
            else None,
            "translator": _software(headline.translator) if headline.translated_from else None,
            "citation": [
                _work(m.article, m.source_name)
                for m in page.timeline
                if original is None or m.article.id != original.article.id
            ][:20],
        }
    )


def og_locale(lang: str | None) -> str | None:
    """OpenGraph's locale form (`fr_FR`) of a language code."""
    return {"fr": "fr_FR", "en": "en_GB"}.get(lang or "")


def outlet_of(sources: dict[int, Source], article: Article) -> str | None:
    source = sources.get(article.source_id)
    return source.name if source else None
