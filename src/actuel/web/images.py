"""GET /images/{article_id}.webp: the local copy of an article's image (images/thumbnail.py),
so that pages never hotlink an outlet; 404 when there is none (pages then show no image)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from actuel.web.i18n import N_
from actuel.web.site import Site

MAX_AGE = 7 * 24 * 3600  # a copy changes only if the article's image does


def image_url(article_id: int | None) -> str:
    """Where the site serves an article's image."""
    return f"/images/{article_id}.webp"


def routes(site: Site) -> list[BaseRoute]:
    def image(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        found = site.store().images.get(article_id)
        if found is None:
            raise HTTPException(404, N_("Pas d'image pour cet article."))
        etag = f'"{article_id}-{int(found.fetched_at.timestamp())}"'
        headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(found.data, media_type=found.content_type, headers=headers)

    return [Route("/images/{article_id:id}.webp", image)]
