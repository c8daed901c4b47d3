"""Admin articles: the latest and the hidden ones; hide one from readers or show it again;
correct its title and summary; file it under a rubrique."""

from __future__ import annotations

from dataclasses import replace

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.enrich.rubriques import RUBRIQUES
from actuel.errors import NotFoundError
from actuel.model import Article
from actuel.web.admin.auth import guarded
from actuel.web.i18n import N_
from actuel.web.site import Site

LISTED = 50
MAX_TITLE = 500
MAX_SUMMARY = 2000
DONE = {
    "hidden": N_("L'article est masqué : les lecteurs ne le voient plus nulle part."),
    "shown": N_(
        "L'article est de nouveau visible ; il rejoindra une histoire à la prochaine reprise du "
        "regroupement (actuel fetch, actuel stories rebuild, ou au redémarrage d'actuel run)."
    ),
    "corrected": N_("Le titre et le chapô corrigés sont publiés."),
    "rubrique": N_("La rubrique de l'article est enregistrée."),
}
RUBRIQUE_ORIGINS = {
    "category": N_("d'après les rubriques du média"),
    "text": N_("d'après les mots du titre et du chapô"),
    "editor": N_("choisie par la rédaction"),
}
ERRORS = {
    "title": N_("Le titre ne peut pas être vide (500 caractères au plus)."),
    "summary": N_("Le chapô compte 2 000 caractères au plus."),
}


def routes(site: Site) -> list[BaseRoute]:
    def article_or_404(article_id: int) -> Article:
        try:
            return site.writer().articles.get(article_id, hidden=True)
        except NotFoundError:
            raise HTTPException(404, N_("Cet article n'existe pas.")) from None

    async def listing(request: Request, admin: str) -> Response:
        store = site.writer()
        return site.page(
            request, "admin/articles.html", admin=admin, latest=store.articles.latest(limit=LISTED),
            hidden=store.articles.hidden(LISTED), sources={s.id: s for s in store.sources.all()},
        )  # fmt: skip

    def article_page(
        request: Request, admin: str, article: Article, status: int = 200, error: str | None = None
    ) -> Response:
        return site.page(
            request, "admin/article.html", status=status, admin=admin, article=article,
            error=error, done=DONE.get(request.query_params.get("done", "")), rubriques=RUBRIQUES,
            rubrique_origins=RUBRIQUE_ORIGINS,
        )  # fmt: skip

    async def article(request: Request, admin: str) -> Response:
        return article_page(request, admin, article_or_404(request.path_params["article_id"]))

    async def act(request: Request, admin: str) -> Response:
        article_id, action = request.path_params["article_id"], request.path_params["action"]
        found = article_or_404(article_id)
        store = site.writer()
        if action == "hide":
            store.articles.hide(article_id)
            done = "hidden"
        elif action == "show":
            store.articles.show(article_id)
            done = "shown"
        elif action == "correct":
            form = await request.form()
            title = " ".join(str(form.get("title", "")).split())
            summary = str(form.get("summary", "")).strip()
            problem = (
                "title" if not title or len(title) > MAX_TITLE
                else "summary" if len(summary) > MAX_SUMMARY
                else None
            )  # fmt: skip
            if problem is not None:
                typed = replace(found, title=title, summary=summary)
                return article_page(request, admin, typed, 422, ERRORS[problem])
            store.articles.correct(article_id, title, summary or None)
            done = "corrected"
        elif action == "rubrique":
            chosen = str((await request.form()).get("rubrique", ""))
            if chosen and chosen not in RUBRIQUES:
                raise HTTPException(422, N_("Cette rubrique n'existe pas."))
            store.articles.set_rubrique(article_id, chosen or None)
            done = "rubrique"
        else:
            raise HTTPException(404, N_("Page introuvable."))
        return RedirectResponse(f"/admin/articles/{article_id}?done={done}", status_code=303)

    return [
        Route("/admin/articles", guarded(site, listing), methods=["GET"]),
        Route("/admin/articles/{article_id:id}", guarded(site, article), methods=["GET"]),
        Route("/admin/articles/{article_id:id}/{action:str}", guarded(site, act), methods=["POST"]),
    ]
