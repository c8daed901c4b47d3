"""PLACEHOLDER: owned by the feeds helper; replace this docstring."""

from __future__ import annotations

from starlette.routing import BaseRoute

from actuel.web.site import Site


def routes(site: Site) -> list[BaseRoute]:
    """The routes of this part of the site."""
    return []
