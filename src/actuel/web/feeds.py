"""Outgoing feeds (RSS, Atom, JSON Feed) of home, categories, outlets, stories; sitemaps; robots."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.errors import NotFoundError
from actuel.model import Article
from actuel.web import feed_writers, sitemaps
from actuel.web.feed_items import FeedDoc, FeedEntry, member_entries, newest, story_entries
from actuel.web.feed_items import article_entry as one_article
from actuel.web.i18n import N_, gettext_for
from actuel.web.site import Site

WRITERS: dict[str, tuple[Callable[[FeedDoc], bytes], str]] = {
    "xml": (feed_writers.rss, feed_writers.RSS_TYPE),
    "atom": (feed_writers.atom, feed_writers.ATOM_TYPE),
    "json": (feed_writers.json_feed, feed_writers.JSON_FEED_TYPE),
}
MAX_FEED_ITEMS = 500


def base_url(site: Site, request: Request) -> str:
    """Absolute URLs start here: the site_base_url setting, else the address of the request."""
    configured = str(getattr(site.settings, "site_base_url", "") or "")
    return (configured or str(request.base_url)).rstrip("/")


def routes(site: Site) -> list[BaseRoute]:
    """The routes of the feeds, sitemaps and robots.txt."""

    def items() -> int:
        return max(1, min(MAX_FEED_ITEMS, int(site.settings.feed_items)))

    def chars() -> int:
        return int(site.settings.excerpt_chars)

    def written(request: Request, doc: FeedDoc) -> Response:
        fmt = request.path_params["fmt"]
        write, media_type = WRITERS[fmt]
        doc.updated = newest(doc.entries) or site.store().listings.newest_change()
        response = Response(write(doc), media_type=media_type)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    def start(request: Request, title: str, path: str) -> tuple[FeedDoc, str]:
        if request.path_params["fmt"] not in WRITERS:
            raise HTTPException(404, N_("Ce format de flux n'existe pas."))
        base = base_url(site, request)
        lang = site.lang(request)
        doc = FeedDoc(
            title=f"{site.settings.site_name} — {title}",
            site_name=str(site.settings.site_name),
            home_url=f"{base}{path}" if path else f"{base}/",
            self_url=f"{base}{path}/feed",
            language=lang,
        )
        return doc, base

    def home_feed(request: Request) -> Response:
        _ = gettext_for(site.lang(request))
        doc, base = start(request, _("Dernières nouvelles"), "")
        views = site.store().stories.latest(limit=items())
        doc.entries = story_entries(site.store(), views, base, _, chars(), doc.language)
        if not views:  # no story yet: the articles themselves, as the home page does
            doc.entries = article_entries(base, _, site.store().articles.latest(limit=items()))
        return written(request, doc)

    def article_entries(base: str, _: Callable[..., str], found: list[Article]) -> list[FeedEntry]:
        sources = {s.id: s for s in site.store().sources.all()}
        kept = site.store().images.kept(a.id for a in found if a.id is not None)
        return [
            one_article(a, sources.get(a.source_id), base, _, chars(), kept=kept) for a in found
        ]

    def category_feed(request: Request) -> Response:
        category = request.path_params["category"]
        _ = gettext_for(site.lang(request))
        store = site.store()
        if category not in {s.category for s in store.sources.all()} | set(
            store.stories.categories()
        ):
            raise HTTPException(404, N_("Cette catégorie n'existe pas."))
        doc, base = start(request, category, f"/categories/{quote(category)}")
        views = store.stories.latest(limit=items(), category=category)
        doc.entries = story_entries(store, views, base, _, chars(), doc.language)
        return written(request, doc)

    def outlet_feed(request: Request) -> Response:
        _ = gettext_for(site.lang(request))
        store = site.store()
        try:
            source = store.sources.get(request.path_params["source_id"])
        except NotFoundError:
            raise HTTPException(404, N_("Cette source n'existe pas.")) from None
        doc, base = start(request, source.name or source.url, f"/outlets/{source.id}")
        found = store.articles.latest(limit=items(), source_id=source.id)
        ids = [a.id for a in found if a.id is not None]
        kept = store.images.kept(ids)
        translated = {t.article_id: t for t in store.translations.of_articles(ids, doc.language)}
        doc.entries = [
            one_article(
                a, source, base, _, chars(), kept=kept, translation=translated.get(a.id or 0)
            )
            for a in found
        ]
        return written(request, doc)

    def story_feed(request: Request) -> Response:
        key = request.path_params["key"]
        _ = gettext_for(site.lang(request))
        store = site.store()
        try:
            view = store.stories.get(key)
        except NotFoundError:
            raise HTTPException(404, N_("Cette histoire n'existe pas ou plus.")) from None
        fmt = request.path_params["fmt"]
        if view.key != key:
            return RedirectResponse(f"/stories/{quote(view.key)}/feed.{fmt}", status_code=301)
        title = view.headline(site.lang(request)).title
        doc, base = start(request, title or key, f"/stories/{quote(view.key)}")
        sources = {s.id: s for s in store.sources.all() if s.id is not None}
        members = store.stories.members(view.id)
        ids = [m.article.id for m in members if m.article.id is not None]
        kept = store.images.kept(ids)
        translated = {t.article_id: t for t in store.translations.of_articles(ids, doc.language)}
        doc.entries = member_entries(members, sources, base, _, chars(), kept, translated)[
            : items()
        ]
        return written(request, doc)

    def sitemap_index(request: Request) -> Response:
        stories, articles = site.store().listings.sitemap_counts()
        body = sitemaps.index(base_url(site, request), stories, articles)
        return Response(body, media_type=sitemaps.SITEMAP_TYPE)

    def sitemap_page(request: Request) -> Response:
        kind, page = request.path_params["kind"], request.path_params["page"]
        offset = (page - 1) * sitemaps.URLS_PER_SITEMAP
        store = site.store()
        if kind == "stories" and page >= 1:
            found = store.listings.sitemap_stories(offset=offset, limit=sitemaps.URLS_PER_SITEMAP)
        elif kind == "articles" and page >= 1:
            found = store.listings.sitemap_articles(offset=offset, limit=sitemaps.URLS_PER_SITEMAP)
        else:
            raise HTTPException(404, N_("Ce plan du site n'existe pas."))
        if not found and page > 1:
            raise HTTPException(404, N_("Ce plan du site n'existe pas."))
        body = sitemaps.urlset(base_url(site, request), f"/{kind}/", found)
        return Response(body, media_type=sitemaps.SITEMAP_TYPE)

    def news_sitemap(request: Request) -> Response:
        # the headline a crawler reads on the page: it sends no language, so the site's
        found = site.store().listings.news_stories(
            since=sitemaps.news_since(),
            limit=sitemaps.NEWS_MAX,
            lang=str(site.settings.site_lang),
        )
        body = sitemaps.news(
            base_url(site, request),
            str(site.settings.site_name),
            str(site.settings.site_lang),
            found,
        )
        return Response(body, media_type=sitemaps.SITEMAP_TYPE)

    def robots(request: Request) -> Response:
        return PlainTextResponse(sitemaps.robots(base_url(site, request)))

    return [
        Route("/feed.{fmt}", home_feed),
        Route("/categories/{category}/feed.{fmt}", category_feed),
        Route("/outlets/{source_id:id}/feed.{fmt}", outlet_feed),
        Route("/stories/{key}/feed.{fmt}", story_feed),
        Route("/sitemap.xml", sitemap_index),
        Route("/sitemaps/{kind}-{page:page}.xml", sitemap_page),
        Route("/sitemap-news.xml", news_sitemap),
        Route("/robots.txt", robots),
    ]
