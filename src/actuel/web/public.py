"""Public pages: home (latest stories), story, article, and the reader's choice of language."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.api.cursor import encode_cursor
from actuel.errors import NotFoundError
from actuel.web.i18n import LANG_COOKIE, SUPPORTED
from actuel.web.site import Site
from actuel.web.views import article_page, story_page

LANG_COOKIE_SECONDS = 365 * 24 * 3600


def routes(site: Site) -> list[BaseRoute]:
    """The routes of the public pages."""

    def home(request: Request) -> Response:
        before = site.cursor(request)
        lang = request.query_params.get("lang") or None
        store = site.store()
        article_before = site.cursor(request, "articles_before")
        page_size = site.page_size
        stories = []
        if article_before is None:
            stories = store.latest_stories(limit=page_size + 1, before=before, lang=lang)
        if stories or (before is not None and article_before is None):
            more = len(stories) > page_size
            stories = stories[:page_size]
            last = stories[-1] if stories else None
            return site.page(
                request,
                "home.html",
                stories=stories,
                articles=[],
                sources={},
                next_cursor=encode_cursor(last.updated_at, last.id) if more and last else None,
                filter_lang=lang,
            )
        # No story yet (the stories step is off or has not run): list the articles themselves.
        articles = store.latest_articles(limit=page_size + 1, before=article_before, lang=lang)
        more = len(articles) > page_size
        articles = articles[:page_size]
        last_article = articles[-1] if articles else None
        return site.page(
            request,
            "home.html",
            stories=[],
            articles=articles,
            sources={s.id: s for s in store.list_sources()},
            next_cursor=None,
            next_articles=encode_cursor(
                last_article.published_at or last_article.first_seen_at, last_article.id
            )
            if more and last_article
            else None,
            filter_lang=lang,
        )

    def story(request: Request) -> Response:
        key = request.path_params["key"]
        store = site.store()
        try:
            view = store.get_story(key)
        except NotFoundError:
            raise HTTPException(404, "Cette histoire n'existe pas ou plus.") from None
        if view.key != key:
            return RedirectResponse(f"/stories/{quote(view.key)}", status_code=301)
        return site.page(request, "story.html", page=story_page(store, view, site.lang(request)))

    def article(request: Request) -> Response:
        try:
            data = article_page(site.store(), request.path_params["article_id"])
        except NotFoundError:
            raise HTTPException(404, "Cet article n'existe pas.") from None
        return site.page(
            request,
            "article.html",
            article=data.article,
            source=data.source,
            credit=data.credit,
            sources=data.sources,
        )

    async def choose_language(request: Request) -> Response:
        """POST /langue: remember the reader's language in a cookie and go back where they were."""
        form = await request.form()
        lang = str(form.get("lang", ""))
        if lang not in SUPPORTED:
            raise HTTPException(400, "Langue inconnue.")
        back = str(form.get("next", "/"))
        target = urlsplit(back)
        # only a path on this site: never an open redirect
        if target.scheme or target.netloc or not back.startswith("/") or back.startswith("//"):
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
        Route("/stories/{key}", story),
        Route("/articles/{article_id:int}", article),
        Route("/langue", choose_language, methods=["POST"]),
    ]
