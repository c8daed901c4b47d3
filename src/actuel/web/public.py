"""Public pages: home, category, outlet and language listings, story, article, language choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.cursor import encode_cursor
from actuel.errors import HiddenError, NotFoundError
from actuel.model import Article, Source, StoryView
from actuel.web import comments
from actuel.web.i18n import LANG_COOKIE, N_
from actuel.web.identity import absolute_url, site_languages, theme_css
from actuel.web.images import image_url
from actuel.web.site import Site
from actuel.web.structured import article_json_ld, share_links, story_json_ld
from actuel.web.views import (
    ArticlePage,
    LatestNews,
    StoryPage,
    article_page,
    latest_in_category,
    latest_news,
    listing_filters,
    story_page,
)

T = TypeVar("T")
LANG_COOKIE_SECONDS = 365 * 24 * 3600
SIDEBAR_SIZE = 5
MAX_PINNED = 3  # stories editors pinned "À la une": the latest pinned first
NO_STORY = N_("Cette histoire n'existe pas ou plus.")
NO_ARTICLE = N_("Cet article n'existe pas.")
WITHDRAWN = N_("Cet article a été retiré par la rédaction.")
NOT_TRANSLATED = N_("Cet article ne peut pas être traduit dans cette langue sur ce site.")
NO_OUTLET = N_("Ce média n'existe pas.")
BAD_LANGUAGE = N_("Langue inconnue.")
BAD_CODE = N_("Ce code de langue n'est pas valide.")
N_("Ce lien de pagination n'est pas valide.")  # raised by Site.cursor, shown by error.html


def _next_url(request: Request, name: str, cursor: str | None) -> str | None:
    """This page's address with its filters kept and the cursor `name` set (others dropped)."""
    if cursor is None:
        return None
    params = {
        k: v
        for k, v in request.query_params.items()
        if k in ("lang", "category") and v and k != name
    }
    params[name] = cursor
    return request.url.path + "?" + urlencode(params)


def routes(site: Site) -> list[BaseRoute]:
    """The routes of the public pages."""

    def shared(request: Request, name: str, compute: Callable[[], T]) -> T:
        """What every page shows alike (sources, latest news), read again only after a commit."""
        return site.remember(request, ("shared", name), compute)

    def sources(request: Request) -> list[Source]:
        return shared(request, "sources", site.store().sources.all)

    def listing(
        request: Request,
        *,
        lang: str | None = None,
        category: str | None = None,
        with_pinned: bool = False,
        **context: Any,
    ) -> Response:
        """Latest stories matching the filters; their articles while no story exists yet.
        `with_pinned`: the stories editors pinned come first on the first page, once."""
        store = site.store()
        before = site.cursor(request)
        article_before = site.cursor(request, "articles_before")
        size = site.page_size
        stories = []
        if article_before is None:
            stories = store.stories.latest(
                limit=size + 1, before=before, lang=lang, category=category
            )
        context |= {"filter_lang": lang, "filter_category": category, "filters": filters(request)}
        if stories or before is not None:
            more = len(stories) > size
            stories = stories[:size]
            last = stories[-1] if more else None
            next_url = (
                _next_url(request, "before", encode_cursor(last.updated_at, last.id))
                if last and last.updated_at
                else None
            )
            pinned = store.stories.pinned(MAX_PINNED) if with_pinned and before is None else []
            shown = {s.id for s in pinned}
            stories = [s for s in stories if s.id not in shown]
            return site.page(
                request, "home.html", stories=stories, pinned=pinned, articles=[],
                next_url=next_url, **context,
            )  # fmt: skip
        # No story yet (the stories step is off or has not run): list the articles themselves.
        if category is None:
            articles = store.articles.latest(limit=size + 1, before=article_before, lang=lang)
        else:
            articles = latest_in_category(
                store, sources(request), category, size + 1, article_before, lang
            )
        return article_listing(request, articles, **context)

    def article_listing(request: Request, articles: list[Article], **context: Any) -> Response:
        size = site.page_size
        more = len(articles) > size
        articles = articles[:size]
        last = articles[-1] if more else None
        when = (last.published_at or last.first_seen_at) if last else None
        cursor_name = context.pop("cursor_name", "articles_before")
        next_url = None
        if last and when:
            next_url = _next_url(request, cursor_name, encode_cursor(when, last.id))
        ids = [a.id for a in articles if a.id is not None]
        translated = site.store().translations.of_articles(ids, site.lang(request))
        return site.page(
            request,
            context.pop("template", "home.html"),
            stories=[],
            articles=articles,
            translated={t.article_id: t for t in translated},
            sources={s.id: s for s in sources(request)},
            next_url=next_url,
            **context,
        )

    def filters(request: Request) -> dict[str, list[str]]:
        return shared(
            request,
            "filters",
            lambda: listing_filters(sources(request), site.store().stories.categories()),
        )

    def home(request: Request) -> Response:
        lang = request.query_params.get("lang") or None
        category = request.query_params.get("category") or None
        pinned = lang is None and category is None
        return listing(request, lang=lang, category=category, with_pinned=pinned, feed_path="")

    def category_page(request: Request) -> Response:
        category = request.path_params["category"]
        return listing(
            request,
            category=category,
            lang=request.query_params.get("lang") or None,
            heading_category=category,
            feed_path=f"/categories/{quote(category, safe='')}",
        )

    def language_page(request: Request) -> Response:
        code = request.path_params["code"].lower()
        if not code.isalpha() or len(code) > 8:
            raise HTTPException(404, BAD_CODE)
        return listing(request, lang=code, heading_lang=code, feed_path="")

    def outlet_page(request: Request) -> Response:
        store = site.store()
        try:
            source = store.sources.get(int(request.path_params["source_id"]))
        except NotFoundError:
            raise HTTPException(404, NO_OUTLET) from None
        articles = store.articles.latest(
            limit=site.page_size + 1, before=site.cursor(request), source_id=source.id
        )
        return article_listing(
            request,
            articles,
            template="outlet.html",
            cursor_name="before",
            outlet=source,
            filters=filters(request),
            feed_path=f"/outlets/{source.id}",
        )

    def story_data(key: str, lang: str) -> tuple[StoryView, StoryPage]:
        store = site.store()
        view = store.stories.get(key)
        return view, story_page(store, view, lang)

    async def story(request: Request) -> Response:
        key = request.path_params["key"]
        lang = site.lang(request)
        try:
            view, page = await site.remember_async(
                request, ("story", key, lang), lambda: story_data(key, lang)
            )
        except NotFoundError:
            raise HTTPException(404, NO_STORY) from None
        if view.key != key:
            return RedirectResponse(f"/stories/{quote(view.key)}", status_code=301)
        url = absolute_url(site.settings, request, f"/stories/{quote(view.key)}")
        picture = image_url(view.original_article_id) if view.image_kept else None
        og_image = absolute_url(site.settings, request, picture) if picture else None
        return site.page(
            request,
            "story.html",
            page=page,
            canonical=url,
            og_image=og_image,
            json_ld=story_json_ld(page, url, str(site.settings.site_name), lang, og_image),
            shares=share_links(url, view.headline(lang).title or ""),
            feed_path=f"/stories/{quote(view.key)}",
        )

    def article_data(
        request: Request, article_id: int
    ) -> tuple[ArticlePage, list[StoryView], LatestNews]:
        """What the article page shows (its comments read too, kept for article_context)."""
        store = site.store()
        data = article_page(store, article_id, {s.id: s for s in sources(request) if s.id})
        story_id = data.credit.story.id if data.credit else None
        related = store.stories.related(story_id) if story_id is not None else []
        latest = shared(request, "latest", lambda: latest_news(store, SIDEBAR_SIZE + 1))
        comments.published(site, request, article_id)
        return data, related, latest.leaving_out(story_id, SIDEBAR_SIZE)

    async def article(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        try:
            data, related, latest = await site.remember_async(
                request, ("article", article_id), lambda: article_data(request, article_id)
            )
        except HiddenError:
            raise HTTPException(410, WITHDRAWN) from None
        except NotFoundError:
            raise HTTPException(404, NO_ARTICLE) from None
        url = absolute_url(site.settings, request, f"/articles/{article_id}")
        picture = image_url(article_id) if data.image_kept else None
        og_image = absolute_url(site.settings, request, picture) if picture else None
        lang = site.lang(request)
        language = data.article.language
        return site.page(
            request,
            "article.html",
            translatable=site.settings.translates
            and lang in site.settings.translate_languages
            and bool(language)
            and language != lang,
            text_requested=lang in data.text_requested,
            picture=picture,
            og_image=og_image,
            article=data.article,
            source=data.source,
            credit=data.credit,
            sources=data.sources,
            translations=data.translations,
            machine=data.machine,
            related=related,
            latest=latest,
            canonical=url,
            json_ld=article_json_ld(
                data, url, str(site.settings.site_name), og_image, site.lang(request)
            ),
            shares=share_links(url, data.article.title),
            comments=comments.article_context(site, request, article_id),
            feed_path="",
        )

    async def ask_translation(request: Request) -> Response:
        """POST: a reader asks for the article's whole text in their language; the translation
        step does it (`actuel run`, `actuel translate`), and the page says it is on its way."""
        article_id = request.path_params["article_id"]
        lang = site.lang(request)
        try:
            article = site.store().articles.get(article_id)
        except (HiddenError, NotFoundError):
            raise HTTPException(404, NO_ARTICLE) from None
        if (
            not site.settings.translates
            or lang not in site.settings.translate_languages
            or not article.language
            or article.language == lang
        ):
            raise HTTPException(400, NOT_TRANSLATED)
        site.writer().translations.request_text(article_id, lang)
        return RedirectResponse(f"/articles/{article_id}#traduction", status_code=303)

    def theme(_request: Request) -> Response:
        """The portal's colours as a stylesheet (the CSP allows no inline style)."""
        return PlainTextResponse(
            theme_css(site.settings),
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=300"},
        )

    async def choose_language(request: Request) -> Response:
        """POST /langue: remember the reader's language in a cookie and go back where they were."""
        async with request.form() as form:  # closes any file posted with it
            lang = form.get("lang", "")
            back = form.get("next", "/")
        if not isinstance(lang, str) or lang not in site_languages(site.settings):
            raise HTTPException(400, BAD_LANGUAGE)
        if not isinstance(back, str):
            back = "/"
        target = urlsplit(back)
        # only a path on this site: never an open redirect
        if target.scheme or target.netloc or not back.startswith("/") or back[1:2] in ("/", "\\"):
            back = "/"
        response = RedirectResponse(back, status_code=303)
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=LANG_COOKIE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    return [
        Route("/", home),
        Route("/categories/{category}", category_page),
        Route("/languages/{code}", language_page),
        Route("/outlets/{source_id:id}", outlet_page),
        Route("/stories/{key}", story),
        Route("/articles/{article_id:id}", article),
        Route("/articles/{article_id:id}/translation", ask_translation, methods=["POST"]),
        Route("/theme.css", theme),
        Route("/langue", choose_language, methods=["POST"]),
    ]
