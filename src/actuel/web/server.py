"""Serve the site with uvicorn on the configured address."""

from __future__ import annotations

import uvicorn

from actuel.config import Settings
from actuel.web.app import create_app


def serve(settings: Settings) -> None:
    app = create_app(settings)
    uvicorn.run(
        app, host=settings.web_host, port=settings.web_port, log_level="warning", access_log=False
    )
