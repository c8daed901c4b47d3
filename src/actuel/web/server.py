"""Serve the site with uvicorn on the configured address."""

from __future__ import annotations

import json
import os
from typing import Any

import uvicorn
from starlette.applications import Starlette

from actuel.config import Settings
from actuel.web.app import create_app

SETTINGS_ENV = "ACTUEL__SERVE_SETTINGS"  # how `serve` hands its settings to worker processes


def serve(settings: Settings) -> None:
    """uvicorn (httptools, the standard event loop) with `web_workers` processes."""
    workers = max(1, int(settings.web_workers))
    options: dict[str, Any] = {
        "host": settings.web_host,
        "port": settings.web_port,
        "log_level": "warning",
        "access_log": False,
        # the standard event loop, not uvloop: when the site is saturated uvloop leaves some
        # connections waiting: p99 1.1 s against 0.12 s at 64 connections on uncached pages, for
        # the same throughput (bench/site.py)
        "loop": "asyncio",
        # X-Forwarded-For is believed only when the operator says a proxy sets it
        "proxy_headers": bool(getattr(settings, "web_trust_forwarded", False)),
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # worker processes build their own app: from these settings, not from the environment alone
    os.environ[SETTINGS_ENV] = json.dumps(settings.as_dict(reveal_secrets=True))
    uvicorn.run("actuel.web.server:app_from_environment", factory=True, workers=workers, **options)


def app_from_environment() -> Starlette:
    """The app of one worker process, from the settings `serve` left in the environment."""
    return create_app(Settings(json.loads(os.environ[SETTINGS_ENV])))
