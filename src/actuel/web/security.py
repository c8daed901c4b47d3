"""Cross-site request protection for every state-changing route, form tokens, login rate limit.

The rule every form and route of the site follows (CSRFMiddleware enforces it):

- GET, HEAD and OPTIONS never change state and always pass.
- Any other method is refused (403) when the browser says it comes from elsewhere: an `Origin`
  header whose host is not the request's own (nor `site_base_url`'s), or `Sec-Fetch-Site`
  `cross-site` / `same-site`.
- Outside /api/v1 it must then carry a token, in the form field `csrf_token` (urlencoded or
  multipart) or the `X-CSRF-Token` header:
    * under /admin, when the admin session cookie is present: the session's token, an HMAC of
      the cookie (it changes at every login, so a token never outlives its session);
    * everywhere else (the comment form, POST /langue, the login form): the site's anonymous
      token, the same for every reader (an HMAC of a constant under `signing_key`: the
      `secret_key` setting, else a key kept in the database), so pages carrying it stay
      cacheable and every worker accepts it. Against a forged cross-site post the Origin and
      Sec-Fetch-Site checks and SameSite=Lax cookies do the work; the token refuses blind
      posts from clients that send neither header.
  Templates write `<input type="hidden" name="csrf_token" value="{{ csrf_token }}">`:
  `Site.page` puts `csrf_token(request, settings)` in every page's context. Form-specific tokens
  (the comment form's signed issue time) are separate and may use `signing_key(settings)`.
- /api/v1 reads no cookie: its write routes need `Authorization: Bearer <token>`, so no form token
  is asked there (the Origin checks still apply).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from actuel.config import Settings
from actuel.errors import ActuelError

SESSION_COOKIE = "actuel_session"
TOKEN_FIELD = "csrf_token"  # noqa: S105 - a field name, not a secret
TOKEN_HEADER = "x-csrf-token"  # noqa: S105 - a header name
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1024 * 1024  # a form bigger than this is no form of ours
_PROCESS_KEY = secrets.token_bytes(32)
_KEYS: dict[str, bytes] = {}  # database → its stored key, read once per process
_KEYS_LOCK = threading.Lock()
MAX_TRACKED = 10_000  # keys a rate limiter keeps at most (a few MB at worst)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def signing_key(settings: Settings) -> bytes:
    """The key the site signs with: `secret_key`, else one drawn once and kept in the database,
    so that every worker and every restart agree (a page served by one worker, posted to
    another); only without a writable database, one drawn for this process."""
    configured = str(getattr(settings, "secret_key", "") or "")
    if configured:
        return configured.encode()
    db = str(settings.db)
    with _KEYS_LOCK:
        if db not in _KEYS:
            from actuel.store import Store

            try:
                with Store.open(db, settings) as store:
                    _KEYS[db] = store.users.site_secret("csrf").encode()
            except ActuelError:
                _KEYS[db] = _PROCESS_KEY
        return _KEYS[db]


def _mac(settings: Settings, purpose: str, value: str) -> str:
    message = f"{purpose}:{value}".encode()
    return hmac.new(signing_key(settings), message, hashlib.sha256).hexdigest()[:40]


def anonymous_token(settings: Settings) -> str:
    """The token of forms any reader may post (comments, language switch, login)."""
    return "a." + _mac(settings, "csrf-anonymous", "")


def session_token(settings: Settings, session_cookie: str) -> str:
    """The token of admin forms for the session whose cookie is `session_cookie`."""
    return "s." + _mac(settings, "csrf-session", session_cookie)


def _is_admin(path: str) -> bool:
    return path == "/admin" or path.startswith("/admin/")


def expected_token(settings: Settings, path: str, cookies: dict[str, str]) -> str:
    cookie = cookies.get(SESSION_COOKIE)
    if cookie and _is_admin(path):
        return session_token(settings, cookie)
    return anonymous_token(settings)


def csrf_token(request: Request, settings: Settings) -> str:
    """The token the forms of this page must carry."""
    return expected_token(settings, request.url.path, dict(request.cookies))


def _own_hosts(headers: Headers, settings: Settings) -> set[str]:
    hosts = {headers.get("host", "").lower()}
    base = str(getattr(settings, "site_base_url", "") or "")
    if base:
        hosts.add(urlsplit(base).netloc.lower())
    return hosts - {""}


def foreign_origin(headers: Headers, settings: Settings) -> bool:
    """True when the browser says this request was sent by another site."""
    if headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames, file: pages, privacy redirects: never our forms
        return True
    return urlsplit(origin).netloc.lower() not in _own_hosts(headers, settings)


async def _form_token(scope: Scope, body: bytes) -> str | None:
    """The token field of an urlencoded or multipart body, parsed by Starlette."""
    request = Request(scope, _replayer(body, None))
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    try:
        async with request.form(max_files=10, max_fields=200) as form:
            value = form.get(TOKEN_FIELD)
    except Exception:  # a malformed body: no token can be read from it
        return None
    return value if isinstance(value, str) else None


def _replayer(body: bytes, receive: Receive | None) -> Receive:
    """A receive that gives `body` once, then defers to the real one (for disconnects)."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


def _refuse(reason: str) -> PlainTextResponse:
    return PlainTextResponse(
        f"Requête refusée : {reason}. Rechargez la page et réessayez.", status_code=403
    )


class CSRFMiddleware:
    """Refuses state-changing requests from other sites or without the form token (see above)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        # drawn (a database write, the first time) before the page cache reads the database's
        # generation, so that the key's arrival never empties a fresh cache
        signing_key(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if foreign_origin(request.headers, self.settings):
            await _refuse("elle vient d'un autre site")(scope, receive, send)
            return
        path = scope["path"]
        if path == "/api/v1" or path.startswith("/api/v1/"):
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_FORM_BYTES:
                await PlainTextResponse("Formulaire trop long.", status_code=413)(
                    scope, receive, send
                )
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        given = request.headers.get(TOKEN_HEADER) or await _form_token(scope, body)
        wanted = expected_token(self.settings, path, dict(request.cookies))
        if not given or not hmac.compare_digest(given.encode(), wanted.encode()):
            await _refuse("le jeton du formulaire manque ou a expiré")(scope, receive, send)
            return
        await self.app(scope, _replayer(body, receive), send)


class RateLimiter:
    """At most `limit` events per key in a sliding `window_s` (failed logins per address/name).

    Memory is bounded whatever the traffic: a key keeps only its last `limit` events (the oldest
    of them tells whether it is over), keys are kept in the order they were last seen and drop
    once their window passed, and past `max_keys` the one seen longest ago goes. A key that
    keeps knocking while blocked is seen each time, so a flood of other addresses cannot push
    it out; each call costs the same however many keys are kept.
    """

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = MAX_TRACKED):
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max(1, max_keys)
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many keys are kept."""
        return len(self._events)

    def _recent(self, key: str, now: float) -> deque[float] | None:
        """The key's events still in the window, the key marked as just seen; None if none."""
        self._forget_quiet(now)
        events = self._events.get(key)
        if events is None:
            return None
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        self._events.move_to_end(key)
        return events

    def _forget_quiet(self, now: float) -> None:
        """Drop the keys seen longest ago while their last event is out of the window."""
        while self._events:
            events = next(iter(self._events.values()))
            if events and events[-1] > now - self.window_s:
                return
            self._events.popitem(last=False)

    def blocked(self, key: str, now: float | None = None) -> bool:
        """True when `key` already spent its `limit` events in the window."""
        with self._lock:
            events = self._recent(key, time.monotonic() if now is None else now)
            return len(events or ()) >= self.limit

    def hit(self, key: str, now: float | None = None) -> None:
        with self._lock:
            moment = time.monotonic() if now is None else now
            events = self._recent(key, moment)
            if events is None:
                events = self._events[key] = deque(maxlen=max(1, self.limit))
            events.append(moment)
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)
