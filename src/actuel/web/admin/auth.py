"""Admin login: sessions kept server-side (cookie holds a random token, the DB its sha256),
login and logout routes, the failed-login limit, and the guard every admin page goes through."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.accounts import passwords
from actuel.accounts.tokens import token_hash
from actuel.web.i18n import N_
from actuel.web.security import SESSION_COOKIE, RateLimiter
from actuel.web.site import Site

log = logging.getLogger("actuel.web.admin")
COOKIE_PATH = "/admin"  # public pages never see the cookie, so they stay cacheable
Handler = Callable[[Request, str], Awaitable[Response]]
WRONG = N_("Nom ou mot de passe incorrect.")
PASSWORD_PAGE = "/admin/mot-de-passe"  # noqa: S105 - an address, not a password
PASSWORD_ERRORS = {
    "current": N_("Le mot de passe actuel n'est pas le bon."),
    "short": N_("Le nouveau mot de passe est trop court."),
    "different": N_("Les deux saisies du nouveau mot de passe diffèrent."),
    "same": N_("Choisissez un mot de passe différent de l'actuel."),
}


def current_admin(site: Site, request: Request) -> str | None:
    """The name of the admin logged in on this request, else None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    return site.writer().users.admin_of_session(token_hash(token))


def _must_change(site: Site, name: str) -> bool:
    user = site.writer().users.get_admin(name)
    return user is not None and user.must_change_password


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(value: str | None) -> str:
    """Only an admin path of this site: never an open redirect."""
    if value and value.startswith("/admin") and "//" not in value and "\\" not in value:
        return value
    return "/admin"


def guarded(
    site: Site, handler: Handler, *, spent_password: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    """`handler(request, admin_name)` for a logged-in admin; others go to the login page, and
    an admin still on a one-time password to the page choosing their own (unless
    `spent_password` is False: that page itself)."""

    async def endpoint(request: Request) -> Response:
        name = current_admin(site, request)
        if name is not None and spent_password and _must_change(site, name):
            return RedirectResponse(PASSWORD_PAGE, status_code=303)
        if name is None:
            if request.method == "GET":
                target = quote(request.url.path, safe="/")
                return RedirectResponse(f"/admin/login?next={target}", status_code=303)
            return site.page(
                request, "admin/login.html", status=403, error=N_("Connectez-vous d'abord."),
                next="/admin",
            )  # fmt: skip
        return await handler(request, name)

    return endpoint


def routes(site: Site) -> list[BaseRoute]:
    failures = RateLimiter(int(site.settings.login_max_failures), 60.0)

    def login_form(request: Request) -> Response:
        return site.page(
            request, "admin/login.html", error=None,
            next=_safe_next(request.query_params.get("next")),
        )  # fmt: skip

    async def login(request: Request) -> Response:
        address = _client(request)
        form = await request.form()
        name = str(form.get("name", ""))[:64]
        password = str(form.get("password", ""))[:1024]
        target = _safe_next(str(form.get("next", "")))
        if failures.blocked(address):
            log.warning("admin login refused: too many failures from %s", address)
            refused = site.page(
                request, "admin/login.html", status=429, next=target,
                error=N_("Trop de tentatives : réessayez dans une minute."),
            )  # fmt: skip
            refused.headers["Retry-After"] = "60"
            return refused
        store = site.writer()
        user = store.users.get_admin(name) if name else None
        # argon2 takes ~0.1 s of CPU on purpose: off the event loop, so pages keep flowing
        matched = await run_in_threadpool(
            passwords.verify, user.password_hash if user else None, password
        )
        if not matched or user is None:
            failures.hit(address)
            log.info("admin login failed for a name from %s", address)
            return site.page(request, "admin/login.html", status=401, error=WRONG, next=target)
        if passwords.needs_rehash(user.password_hash):
            store.users.set_password(user.name, passwords.hash_password(password))
        old = request.cookies.get(SESSION_COOKIE)
        if old:
            store.users.end_session(token_hash(old))
        token = secrets.token_urlsafe(32)
        hours = max(1, int(site.settings.admin_session_hours))
        store.users.start_session(
            user.id, token_hash(token), datetime.now(UTC) + timedelta(hours=hours)
        )
        log.info("admin %s logged in from %s", user.name, address)
        if user.must_change_password:
            target = PASSWORD_PAGE
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=hours * 3600,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            site.writer().users.end_session(token_hash(token))
        response = RedirectResponse("/admin/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
        return response

    def password_page(
        request: Request, admin: str, error: str | None = None, status: int = 200
    ) -> Response:
        user = site.writer().users.get_admin(admin)
        return site.page(
            request, "admin/password.html", status=status, admin=admin, error=error,
            first=bool(user and user.must_change_password), min_length=passwords.MIN_LENGTH,
        )  # fmt: skip

    async def password_form(request: Request, admin: str) -> Response:
        return password_page(request, admin)

    async def change_password(request: Request, admin: str) -> Response:
        form = await request.form()
        current = str(form.get("current", ""))[:1024]
        new, again = str(form.get("new", ""))[:1024], str(form.get("again", ""))[:1024]
        store = site.writer()
        user = store.users.get_admin(admin)
        matched = await run_in_threadpool(
            passwords.verify, user.password_hash if user else None, current
        )
        problem = (
            "current" if not matched or user is None
            else "short" if len(new) < passwords.MIN_LENGTH
            else "different" if new != again
            else "same" if new == current
            else None
        )  # fmt: skip
        if problem is not None:
            return password_page(request, admin, PASSWORD_ERRORS[problem], status=422)
        hashed = await run_in_threadpool(passwords.hash_password, new)
        store.users.set_password(admin, hashed)
        log.info("admin %s chose a new password", admin)
        return RedirectResponse("/admin?done=password", status_code=303)

    return [
        Route(PASSWORD_PAGE, guarded(site, password_form, spent_password=False), methods=["GET"]),
        Route(
            PASSWORD_PAGE, guarded(site, change_password, spent_password=False), methods=["POST"]
        ),
        Route("/admin/login", login_form, methods=["GET"]),
        Route("/admin/login", login, methods=["POST"]),
        Route("/admin/logout", logout, methods=["POST"]),
    ]
