"""The admin at /admin: login, dashboard, sources, articles, moderation, story corrections,
settings."""

from __future__ import annotations

from starlette.routing import BaseRoute

from actuel.web.admin import articles, auth, pages, stories
from actuel.web.site import Site


def routes(site: Site) -> list[BaseRoute]:
    """The admin's routes (every one but the login form asks for a session)."""
    return [
        *auth.routes(site),
        *pages.routes(site),
        *articles.routes(site),
        *stories.routes(site),
    ]
