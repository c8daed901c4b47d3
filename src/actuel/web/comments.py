"""Comments on article pages: what the page shows, and POST /articles/{id}/comments (PRG, no JS).

The form carries two tokens: `csrf_token` (the site's anonymous token, see web/security.py) and
`form_token`, signed with the site's key over the article id and the time the form was rendered
(comments/tokens.py). Neither names the reader, so an article page with its form may be cached;
a cached copy only makes the form look older, and the 2-hour limit then asks the reader to send
again. The 3-second rule cannot count from a cached render, so `FormClock`, outside the page
cache, stamps every answer to an article page (rendered, cached or 304) with a cookie holding
the time it was sent, scoped to the comment address alone: article pages stay cacheable (their
requests never carry it), and a bot posting straight after fetching a cached page is held.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actuel.comments import links, policy, tokens
from actuel.errors import NotFoundError
from actuel.model import Article, Comment
from actuel.web.i18n import N_
from actuel.web.security import RateLimiter, signing_key
from actuel.web.site import Site

STATUS_PARAM = "commentaire"
ANCHOR = "#commentaires"
HONEYPOT = "website"
MAX_SHOWN = 500  # comments under one article page (the oldest: a discussion reads in order)
HASH_KEY_NAME = "comments"  # names the database-kept key hashing e-mail and network addresses
SEEN_COOKIE = "actuel_vu"  # when the reader was sent the article page (see the module docstring)
ARTICLE_PAGE = re.compile(r"/articles/([1-9][0-9]{0,17})")

NO_ARTICLE = N_("Cet article n'existe pas.")
NOTICES = {
    "publie": N_("Merci ! Votre commentaire est publié."),
    "attente": N_("Merci ! Votre commentaire sera publié après relecture par la rédaction."),
}
FIELD_ERRORS = {
    ("name", "missing"): N_("Indiquez votre nom."),
    ("name", "too_long"): N_("Ce nom est trop long."),
    ("email", "missing"): N_("Indiquez votre adresse e-mail (elle ne sera jamais affichée)."),
    ("email", "not_email"): N_("Cette adresse e-mail n'est pas valide."),
    ("text", "missing"): N_("Écrivez votre commentaire."),
    ("text", "too_long"): N_("Ce commentaire est trop long."),
    ("text", "duplicate"): N_("Ce commentaire a déjà été envoyé."),
}
FORM_ERRORS = {
    "token_invalid": N_(
        "Ce formulaire n'est pas valable. Rechargez la page de l'article, puis envoyez "
        "votre commentaire."
    ),
    "token_expired": N_(
        "Ce formulaire a expiré (il a plus de deux heures). Votre texte est conservé "
        "ci-dessous : envoyez-le de nouveau, ou rechargez la page."
    ),
    "invalid": N_("Votre commentaire n'a pas été envoyé : corrigez les champs signalés."),
    "duplicate": N_("Votre commentaire n'a pas été envoyé : il a déjà été reçu."),
    "address_limit": N_(
        "Trop de commentaires envoyés depuis votre connexion : attendez une minute, puis réessayez."
    ),
    "story_limit": N_(
        "Cette histoire reçoit beaucoup de commentaires en ce moment : réessayez dans une minute."
    ),
}


@dataclass
class ShownComment:
    """A published comment as the page shows it: no e-mail, text cut into escaped pieces."""

    id: int | None
    author: str
    created_at: datetime | None
    paragraphs: list[list[list[links.Piece]]]


@dataclass
class FormState:
    """What the form shows again after a refusal."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field → message id
    form_error: str | None = None


def client_address(request: Request, trust_forwarded: bool) -> str:
    """The poster's address: the connection's, or the proxy's last X-Forwarded-For entry."""
    if trust_forwarded:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.client.host if request.client else "unknown"


def limit_key(address: str) -> str:
    """Whom a rate limit counts: one IPv4 address, or a whole IPv6 /64 (one subscriber's line
    hands out any address in it, so counting single IPv6 addresses would limit nobody)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _limits(site: Site) -> policy.Limits:
    settings = site.settings
    return policy.Limits(
        max_name=int(settings.comments_max_name),
        max_text=int(settings.comments_max_text),
        hold_links=int(settings.comments_hold_links),
    )


def published(site: Site, request: Request, article_id: int) -> tuple[list[ShownComment], int]:
    """The comments shown under an article, and how many it has in all (kept until a commit)."""
    return site.remember(request, ("comments", article_id), lambda: _published(site, article_id))


def _published(site: Site, article_id: int) -> tuple[list[ShownComment], int]:
    store = site.store()
    published = store.comments.of_article(article_id, limit=MAX_SHOWN)
    count = len(published)
    if count == MAX_SHOWN:
        count = store.comments.published_counts([article_id]).get(article_id, count)
    shown = [
        ShownComment(c.id, c.author_name, c.created_at, links.paragraphs(c.text)) for c in published
    ]
    return shown, count


def article_context(
    site: Site, request: Request, article_id: int, form: FormState | None = None
) -> dict[str, Any]:
    """What `_comments.html` needs: pass it to the article page as `comments`."""
    shown, count = published(site, request, article_id)
    notice = NOTICES.get(request.query_params.get(STATUS_PARAM, ""))
    form = form or FormState()
    limits = _limits(site)
    return {
        "article_id": article_id,
        "shown": shown,
        "count": count,
        "action": f"/articles/{article_id}/comments",
        "token": tokens.issue(signing_key(site.settings), article_id, time.time()),
        "notice": None if form.form_error else notice,
        "form_values": form.values,
        "errors": form.errors,
        "form_error": form.form_error,
        "max_name": limits.max_name,
        "max_text": limits.max_text,
        "honeypot": HONEYPOT,
    }


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def routes(site: Site) -> list[BaseRoute]:
    """POST /articles/{id}/comments, and its GET back to the article."""
    settings = site.settings
    by_address = RateLimiter(
        int(settings.comments_address_limit), float(settings.comments_address_window)
    )
    by_story = RateLimiter(
        int(settings.comments_story_limit), float(settings.comments_story_window)
    )
    keys: dict[str, bytes] = {}

    def hashed(value: str) -> str:
        if "key" not in keys:
            keys["key"] = site.writer().users.site_secret(HASH_KEY_NAME).encode()
        return hmac.new(keys["key"], value.encode(), hashlib.sha256).hexdigest()

    def form_page(
        request: Request, article: Article, state: FormState, status: int, **headers: str
    ) -> Response:
        assert article.id is not None
        response = site.page(
            request,
            "comment_form.html",
            status=status,
            article=article,
            comments=article_context(site, request, article.id, state),
        )
        response.headers.update(headers)
        return response

    def story_of(article_id: int) -> str:
        found = site.store().stories.of_article(article_id)
        return f"story:{found[0].key}" if found else f"article:{article_id}"

    def done(article_id: int, published: bool) -> Response:
        notice = "publie" if published else "attente"
        target = f"/articles/{article_id}?{STATUS_PARAM}={notice}{ANCHOR}"
        return RedirectResponse(target, status_code=303)

    async def post_comment(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        try:
            article = site.store().articles.get(article_id)
        except NotFoundError:
            raise HTTPException(404, NO_ARTICLE) from None
        address = client_address(request, bool(settings.web_trust_forwarded))
        who = limit_key(address)
        if by_address.blocked(who):
            state = FormState(form_error=FORM_ERRORS["address_limit"])
            window = str(int(settings.comments_address_window))
            return form_page(request, article, state, 429, **{"Retry-After": window})
        by_address.hit(who)

        form = await request.form()
        now, key, max_age = time.time(), signing_key(settings), float(settings.comments_max_age)
        verdict = tokens.verdict(
            tokens.check(
                key, _text(form, "form_token"), article_id, now, min_age=0, max_age=max_age
            ),
            tokens.check(
                key,
                request.cookies.get(SEEN_COOKIE, ""),
                article_id,
                now,
                min_age=float(settings.comments_min_seconds),
                max_age=max_age,
                purpose=tokens.SEEN,
            ),
        )
        submission = policy.clean(
            _text(form, "name"),
            _text(form, "email"),
            _text(form, "text"),
            _text(form, HONEYPOT),
            verdict,
        )
        if submission.honeypot:  # a bot: the same answer as a held comment, nothing stored
            return done(article_id, published=False)
        email_hash = hashed(submission.email) if submission.email else ""
        store = site.store()
        facts = policy.Facts(
            email_approved=bool(email_hash) and store.comments.email_approved(email_hash),
            duplicate=bool(submission.text) and store.comments.exists(article_id, submission.text),
        )
        decision = policy.decide(submission, facts, _limits(site))
        values = {"name": submission.name, "email": submission.email, "text": submission.text}
        if decision.outcome is policy.Outcome.REFUSE:
            state = FormState(
                values=values,
                errors={f: FIELD_ERRORS[(f, code)] for f, code in decision.errors.items()},
                form_error=FORM_ERRORS[decision.reason],
            )
            return form_page(request, article, state, 422)

        story = story_of(article_id)
        if by_story.blocked(story):
            state = FormState(values=values, form_error=FORM_ERRORS["story_limit"])
            window = str(int(settings.comments_story_window))
            return form_page(request, article, state, 429, **{"Retry-After": window})
        saved = site.writer().comments.add(
            Comment(
                article_id=article_id,
                author_name=submission.name,
                text=submission.text,
                email_hash=email_hash,
                status=decision.outcome.value,
                hold_reason=None if decision.outcome is policy.Outcome.PUBLISH else decision.reason,
                address_hash=hashed(address),
            )
        )
        if saved is None:  # the same text arrived twice at once
            state = FormState(
                values=values,
                errors={"text": FIELD_ERRORS[("text", "duplicate")]},
                form_error=FORM_ERRORS["duplicate"],
            )
            return form_page(request, article, state, 422)
        by_story.hit(story)
        return done(article_id, published=decision.outcome is policy.Outcome.PUBLISH)

    def back_to_article(request: Request) -> Response:
        """GET of the form's address (a reload after an error): the article's comments."""
        article_id = request.path_params["article_id"]
        return RedirectResponse(f"/articles/{article_id}{ANCHOR}", status_code=303)

    return [
        Route("/articles/{article_id:id}/comments", post_comment, methods=["POST"]),
        Route("/articles/{article_id:id}/comments", back_to_article, methods=["GET"]),
    ]


class FormClock:
    """Sets the `SEEN_COOKIE` on every answer to GET /articles/{id} that shows the page (200 or
    304), whether the page cache rendered it or not; it must wrap the cache."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.settings = site.settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = ARTICLE_PAGE.fullmatch(scope.get("path", "")) if scope["type"] == "http" else None
        if page is None or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        article_id = int(page.group(1))

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                message = {
                    **message,
                    "headers": [*message.get("headers", []), self._cookie(article_id, scope)],
                }
            await send(message)

        await self.app(scope, receive, stamped)

    def _cookie(self, article_id: int, scope: Scope) -> tuple[bytes, bytes]:
        token = tokens.issue(signing_key(self.settings), article_id, time.time(), tokens.SEEN)
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        value = (
            f"{SEEN_COOKIE}={token}; Path=/articles/{article_id}/comments; "
            f"Max-Age={int(self.settings.comments_max_age)}; HttpOnly; SameSite=Strict{secure}"
        )
        return (b"set-cookie", value.encode())
