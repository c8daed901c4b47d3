"""What every route module of the site shares: settings, store, the reader's locale, rendering."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, cast

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from actuel import __version__
from actuel.config import Settings
from actuel.cursor import BadCursorError, decode_cursor
from actuel.store import Store
from actuel.web.i18n import LANG_COOKIE, gettext_for, negotiate, ngettext_for
from actuel.web.identity import site_languages
from actuel.web.memo import MISSING, GenerationMemo
from actuel.web.render import render
from actuel.web.security import csrf_token

MAX_PAGE_SIZE = 200
T = TypeVar("T")


@dataclass
class Site:
    """One portal: its settings and store, shared by the route modules (public, search, feeds…)."""

    settings: Settings
    given_store: Store | None = None
    _stores: dict[str, Store] = field(default_factory=dict)
    memo: GenerationMemo | None = None

    @property
    def page_size(self) -> int:
        return max(1, min(MAX_PAGE_SIZE, int(self.settings.site_page_size)))

    def store(self) -> Store:
        """The store pages read from (read-only when the site opened it itself)."""
        if "read" not in self._stores:
            self._stores["read"] = self.given_store or Store.open(
                self.settings.db, self.settings, readonly=True
            )
        return self._stores["read"]

    def writer(self) -> Store:
        """A store that may write (comments, admin): the given one, else opened read-write once."""
        if self.given_store is not None and not self.given_store.readonly:
            return self.given_store
        if "write" not in self._stores:
            self._stores["write"] = Store.open(self.settings.db, self.settings)
        return self._stores["write"]

    def remember(self, request: Request, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` reads from the store, read again only once something was committed
        (the store is asked whether it was once per request)."""
        return self._memo().get(key, compute, request.scope)

    async def remember_async(self, request: Request, key: Hashable, compute: Callable[[], T]) -> T:
        """`remember` for async routes: a kept value at once, else `compute` in a worker
        thread, so that the event loop never waits for the database."""
        value = self._memo().kept(key, request.scope)
        if value is not MISSING:
            return cast(T, value)
        return await run_in_threadpool(self.remember, request, key, compute)

    def _memo(self) -> GenerationMemo:
        if self.memo is None:
            self.memo = GenerationMemo(lambda: self.store().site_generation())
        return self.memo

    def lang(self, request: Request) -> str:
        """The language the reader gets pages in: their choice, Accept-Language, else the site's.
        The admin ignores Accept-Language: a French portal's team works in French whatever
        their browser says (the language switch still applies)."""
        path = request.scope["path"]
        admin = path == "/admin" or path.startswith("/admin/")
        return negotiate(
            request.cookies.get(LANG_COOKIE),
            None if admin else request.headers.get("accept-language"),
            str(self.settings.site_lang),
            site_languages(self.settings),
        )

    def page(
        self, request: Request, template: str, status: int = 200, **context: object
    ) -> HTMLResponse:
        """A rendered page in the reader's language, with `_`, `ngettext` and `lang` in context."""
        lang = self.lang(request)
        html = render(
            template,
            settings=self.settings,
            lang=lang,
            version=__version__,
            request=request,
            _=gettext_for(lang),
            gettext=gettext_for(lang),
            ngettext=ngettext_for(lang),
            csrf_token=csrf_token(request, self.settings),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Language"] = lang
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    def cursor(self, request: Request, name: str = "before") -> tuple[datetime, int] | None:
        """The pagination cursor in `name`, or a 400 page when someone edited it."""
        try:
            return decode_cursor(request.query_params.get(name))
        except BadCursorError:
            raise HTTPException(400, "Ce lien de pagination n'est pas valide.") from None
