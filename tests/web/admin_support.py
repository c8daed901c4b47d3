"""A writable copy of the demo site with one admin, served on loopback, and a logged-in client."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from actuel.accounts.passwords import hash_password
from actuel.config import Settings
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running
from tests.web.demo_site import DemoSite

ADMIN = "redaction"
PASSWORD = "sel-de-guerande-42"


@dataclass
class AdminSite:
    base: str
    settings: Settings
    store: Store  # read-write, on the same file as the site

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30, **kwargs)


def copy_demo(demo_site: DemoSite, folder: Path) -> Settings:
    """The demo database copied into `folder`, so that admin tests may change it."""
    target = folder / "admin.db"
    with Store.open(demo_site.settings.db, demo_site.settings) as source:
        source.maintenance.backup(str(target))
    return demo_site.settings.replace(db=str(target))


@contextmanager
def admin_site(settings: Settings, **changes: Any) -> Iterator[AdminSite]:
    settings = settings.replace(**changes) if changes else settings
    with Store.open(settings.db, settings) as store:
        if store.users.get_admin(ADMIN) is None:
            store.users.create_admin(ADMIN, hash_password(PASSWORD))
        with running(create_app(settings)) as base:
            yield AdminSite(base, settings, store)


def token_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def log_in(client: httpx.Client, name: str = ADMIN, password: str = PASSWORD) -> httpx.Response:
    """Log in as a person would: open the form, post it with its token."""
    form = client.get("/admin/login")
    assert form.status_code == 200
    return client.post(
        "/admin/login",
        data={
            "name": name,
            "password": password,
            "next": "/admin",
            "csrf_token": token_in(form.text),
        },
    )


def admin_token(client: httpx.Client, path: str = "/admin") -> str:
    """The session's form token, read from an admin page."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return token_in(page.text)


def fresh_copy(settings: Settings, folder: Path) -> Settings:
    target = folder / "copy.db"
    shutil.copy(settings.db, target)
    return settings.replace(db=str(target))
