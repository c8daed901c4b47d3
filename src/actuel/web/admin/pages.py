"""Admin pages: dashboard with its SVG charts, sources, moderation queue, settings view."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel import operations
from actuel.config import SETTINGS
from actuel.errors import ActuelError, NotFoundError
from actuel.model import Source, SourceKind
from actuel.operations import MAX_SOURCE_ID
from actuel.web.admin import chart
from actuel.web.admin.auth import guarded
from actuel.web.admin.setting_help import SETTING_HELP
from actuel.web.i18n import N_
from actuel.web.identity import site_languages
from actuel.web.render import CATEGORY_NAMES
from actuel.web.site import Site

DONE = {
    "added": N_("Source ajoutée."),
    "paused": N_("Source mise en pause."),
    "resumed": N_("Source reprise."),
    "deleted": N_("Source supprimée avec ses articles."),
    "unconfirmed": N_("Rien n'est supprimé : cochez « avec ses articles » pour confirmer."),
    "moderated": N_("Commentaires modérés."),
    "password": N_("Votre nouveau mot de passe est enregistré."),
    "edited": N_("Source modifiée."),
}
STATUSES = ("pending", "published", "spam", "deleted")
STATUS_LABELS = {
    "pending": N_("En attente"),
    "published": N_("Publiés"),
    "spam": N_("Indésirables"),
    "deleted": N_("Supprimés"),
}
HOLD_REASONS = {
    "new_author": N_("premier commentaire de cette adresse"),
    "too_fast": N_("envoyé trop vite après l'ouverture de la page"),
    "links": N_("contient plusieurs liens"),
}
STATE_LABELS = {
    "active": N_("active"),
    "error": N_("en erreur"),
    "paused": N_("en pause"),
    "disabled": N_("désactivée"),
}
# A source's last error in the site's language, by its code (errors.py); the message itself,
# written for logs and the CLI, is shown beneath in English, marked as such.
ERROR_LABELS = {
    "fetch": N_("Téléchargement impossible"),
    "fetch.blocked_address": N_("Adresse privée refusée (réglage fetch_allow_private)"),
    "fetch.blocked_scheme": N_("Seuls http et https sont acceptés"),
    "fetch.too_large": N_("Réponse trop volumineuse"),
    "fetch.deadline": N_("Téléchargement trop long, interrompu"),
    "fetch.timeout": N_("Le site ne répond pas à temps"),
    "fetch.redirects": N_("Trop de redirections"),
    "fetch.connect": N_("Connexion au site impossible"),
    "fetch.robots": N_("Interdit par le robots.txt du site"),
    "fetch.status": N_("Le site répond par une erreur"),
    "parse": N_("Flux illisible"),
    "parse.not_a_feed": N_("Ce n'est pas un flux"),
    "extract": N_("Texte de l'article illisible"),
    "config": N_("Adresse ou valeur refusée"),
    "store": N_("Erreur de la base de données"),
    "store.duplicate_source": N_("Cette source est déjà enregistrée."),
}
UNKNOWN_ERROR = N_("Erreur")
KIND_LABELS = {
    "feed": N_("flux (RSS, Atom ou JSON Feed)"),
    "sitemap": N_("plan du site (sitemap)"),
    "page": N_("page d'accueil, lue pour ses liens d'articles"),
}
EDIT_ERRORS = {
    "name": N_("Donnez un nom de 1 à 200 caractères."),
    "category": N_("Une rubrique s'écrit en minuscules, sans espace ni accent (ex. economie)."),
    "lang": N_("Une langue s'écrit en deux ou trois lettres (ex. fr, en, ewo), ou reste vide."),
}
PER_DAY_DAYS = 14
HEALTH_DAYS = 7


def _source_form(failed: ActuelError | None) -> dict[str, Any]:
    """What the new-source page needs besides the URL: kinds, and a failure said in the site's
    language (by its code) with the English detail beneath."""
    return {
        "kinds": [k.value for k in SourceKind],
        "kind_labels": KIND_LABELS,
        "error": ERROR_LABELS.get(failed.code, UNKNOWN_ERROR) if failed else None,
        "error_detail": failed.describe() if failed else None,
    }


def _done(request: Request) -> str | None:
    return DONE.get(request.query_params.get("done", ""))


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19][: operations.MAX_BULK]


def routes(site: Site) -> list[BaseRoute]:
    async def dashboard(request: Request, admin: str) -> Response:
        store = site.writer()
        per_day = store.articles.per_day(PER_DAY_DAYS)
        names = {s.id: s.name or s.url for s in store.sources.all()}
        by_source = store.articles.per_source(PER_DAY_DAYS)
        per_outlet = sorted(
            ((names.get(sid, str(sid)), n) for sid, n in by_source.items()),
            key=lambda pair: (-pair[1], pair[0]),
        )[:12]
        return site.page(
            request,
            "admin/dashboard.html",
            admin=admin,
            days=chart.columns(per_day),
            outlets=chart.rows(per_outlet),
            total=sum(n for _, n in per_day),
            comments=store.comments.count(),
            sources=len(names),
            done=_done(request),
        )

    async def sources(request: Request, admin: str) -> Response:
        store = site.writer()
        per_source = store.articles.per_source(HEALTH_DAYS)
        rows = [(s, per_source.get(s.id or 0, 0) / HEALTH_DAYS) for s in store.sources.all()]
        return site.page(
            request, "admin/sources.html", admin=admin, rows=rows, done=_done(request),
            states=STATE_LABELS, errors=ERROR_LABELS, unknown_error=UNKNOWN_ERROR,
        )  # fmt: skip

    def _preview(request: Request) -> dict[str, Any]:
        url = request.query_params.get("url", "").strip()[:2000]
        found, failed = None, None
        if url:
            try:
                found = operations.preview(site.settings, url)
            except ActuelError as exc:
                failed = exc
        return {"url": url, "found": found, **_source_form(failed)}

    async def add_source(request: Request, admin: str) -> Response:
        form = await request.form()
        url = str(form.get("url", "")).strip()
        kind = str(form.get("kind", "")) or None
        try:
            operations.add_source(
                site.writer(),
                site.settings,
                url,
                kind=kind if kind in {k.value for k in SourceKind} else None,
                name=str(form.get("name", "")),
                category=str(form.get("category", "")),
                lang=str(form.get("lang", "")),
            )
        except ActuelError as exc:
            return site.page(
                request, "admin/source_new.html", status=422, admin=admin, url=url, found=None,
                **_source_form(exc),
            )  # fmt: skip
        return RedirectResponse("/admin/sources?done=added", status_code=303)

    async def source_action(request: Request, admin: str) -> Response:
        source_id = int(request.path_params["source_id"])
        action = request.path_params["action"]
        store = site.writer()
        if action not in ("pause", "resume", "delete") or source_id > MAX_SOURCE_ID:
            return site.page(
                request, "error.html", status=404, status_code=404, detail=N_("Page introuvable.")
            )
        try:
            if action == "pause":
                operations.pause(store, source_id)
                done = "paused"
            elif action == "resume":
                operations.resume(store, source_id)
                done = "resumed"
            elif (await request.form()).get("confirm") == "1":
                store.sources.remove(source_id)
                done = "deleted"
            else:  # a source goes with all its articles: only when asked twice
                return RedirectResponse("/admin/sources?done=unconfirmed", status_code=303)
        except NotFoundError:
            return site.page(
                request, "error.html", status=404, status_code=404,
                detail=N_("Cette source n'existe pas (ou plus)."),
            )  # fmt: skip
        return RedirectResponse(f"/admin/sources?done={done}", status_code=303)

    async def moderation(request: Request, admin: str) -> Response:
        status = request.query_params.get("status", "pending")
        status = status if status in STATUSES else "pending"
        store = site.writer()
        comments = store.comments.by_status(status, limit=100)
        return site.page(
            request, "admin/comments.html", admin=admin, current=status, statuses=STATUS_LABELS,
            comments=comments, counts=store.comments.count(), done=_done(request),
            reasons=HOLD_REASONS,
        )  # fmt: skip

    async def moderate(request: Request, admin: str) -> Response:
        form = await request.form()
        action = str(form.get("action", ""))
        status = str(form.get("status", "pending"))
        ids = _ids([str(v) for v in form.getlist("ids")])
        if action not in operations.MODERATION or not ids:
            return RedirectResponse(f"/admin/comments?status={_status(status)}", status_code=303)
        operations.moderate(site.writer(), action, ids)
        return RedirectResponse(
            f"/admin/comments?status={_status(status)}&done=moderated", status_code=303
        )

    async def settings_view(request: Request, admin: str) -> Response:
        values = site.settings.as_dict()
        rows = [
            (s.name, values.get(s.name), SETTING_HELP.get(s.name, s.help), s.secret)
            for s in SETTINGS
        ]
        return site.page(request, "admin/settings.html", admin=admin, rows=rows)

    def edit_page(
        request: Request, admin: str, source: Source, status: int = 200, error: str | None = None
    ) -> Response:
        return site.page(
            request, "admin/source_edit.html", status=status, admin=admin, source=source,
            error=error, categories=CATEGORY_NAMES, languages=site_languages(site.settings),
        )  # fmt: skip

    def source_or_404(source_id: int) -> Source:
        try:
            return site.writer().sources.get(source_id)
        except NotFoundError:
            raise HTTPException(404, N_("Page introuvable.")) from None

    async def source_form(request: Request, admin: str) -> Response:
        return edit_page(request, admin, source_or_404(request.path_params["source_id"]))

    async def edit_source(request: Request, admin: str) -> Response:
        source_id = request.path_params["source_id"]
        form = await request.form()
        name, category, lang = (str(form.get(k, ""))[:1000] for k in ("name", "category", "lang"))
        source = source_or_404(source_id)
        try:
            operations.edit_source(
                site.writer(), source_id, name=name, category=category, lang=lang
            )
        except ValueError as exc:
            source = replace(source, name=name, category=category, lang=lang)  # as typed
            return edit_page(request, admin, source, 422, EDIT_ERRORS[str(exc)])
        return RedirectResponse(f"/admin/sources?done=edited#source-{source_id}", status_code=303)

    async def new_source(request: Request, admin: str) -> Response:
        # discovery fetches over the network: off the event loop
        context = await run_in_threadpool(_preview, request)
        return site.page(request, "admin/source_new.html", admin=admin, **context)

    return [
        Route("/admin", guarded(site, dashboard), methods=["GET"]),
        Route("/admin/sources", guarded(site, sources), methods=["GET"]),
        Route("/admin/sources", guarded(site, add_source), methods=["POST"]),
        Route("/admin/sources/new", guarded(site, new_source), methods=["GET"]),
        Route("/admin/sources/{source_id:id}", guarded(site, source_form), methods=["GET"]),
        Route("/admin/sources/{source_id:id}", guarded(site, edit_source), methods=["POST"]),
        Route(
            "/admin/sources/{source_id:id}/{action:str}",
            guarded(site, source_action),
            methods=["POST"],
        ),
        Route("/admin/comments", guarded(site, moderation), methods=["GET"]),
        Route("/admin/comments", guarded(site, moderate), methods=["POST"]),
        Route("/admin/settings", guarded(site, settings_view), methods=["GET"]),
    ]


def _status(value: str) -> str:
    return value if value in STATUSES else "pending"
