"""Admin story corrections: merge two stories, split an article out, choose the original by hand;
pin a story at the top of the home page."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actuel.errors import NotFoundError, StoreError
from actuel.store import Store
from actuel.web.admin.auth import guarded
from actuel.web.i18n import N_
from actuel.web.site import Site

DONE = {
    "original": N_("L'article d'origine est corrigé ; le regroupement automatique le respectera."),
    "merged": N_("Les deux histoires sont fusionnées."),
    "split": N_("L'article a maintenant sa propre histoire."),
    "pin": N_("L'histoire est épinglée « À la une » de la page d'accueil."),
    "unpin": N_("L'histoire n'est plus épinglée."),
}


CORRECTION_LABELS = {
    "original": N_("article d'origine choisi"),
    "merge": N_("histoires fusionnées"),
    "split": N_("article sorti de son histoire"),
}


def _key_of(value: str) -> str:
    """A story key, from the key itself or a pasted /stories/<key> link."""
    value = value.strip()
    if "/stories/" in value:
        value = value.split("/stories/", 1)[1]
    return value.split("?", 1)[0].split("#", 1)[0].strip("/")[:64]


def _anchor_article(store: Store, key: str) -> int:
    """An article standing for the story: its original, else its first member."""
    view = store.stories.get(key)
    if view.original_article_id is not None:
        return int(view.original_article_id)
    members = store.stories.members(view.id)
    if not members:
        raise NotFoundError(f"story {key} has no article", fix="pick another story")
    return int(members[0].article.id or 0)


def _story_url(key: str, done: str) -> str:
    return f"/admin/stories/{quote(key, safe='')}?done={done}"


def routes(site: Site) -> list[BaseRoute]:
    def _missing(request: Request) -> Response:
        return site.page(
            request, "error.html", status=404, status_code=404,
            detail=N_("Cette histoire n'existe pas (ou plus)."),
        )  # fmt: skip

    async def listing(request: Request, admin: str) -> Response:
        store = site.writer()
        return site.page(
            request, "admin/stories.html", admin=admin,
            stories=store.stories.latest(limit=50), corrections=store.stories.corrections(20),
            correction_labels=CORRECTION_LABELS,
        )  # fmt: skip

    async def story(request: Request, admin: str) -> Response:
        store = site.writer()
        try:
            view = store.stories.get(request.path_params["key"])
        except NotFoundError:
            return _missing(request)
        return site.page(
            request, "admin/story.html", admin=admin, story=view,
            members=store.stories.members(view.id), error=None,
            done=DONE.get(request.query_params.get("done", "")),
            pinned=store.stories.is_pinned(view.id),
        )  # fmt: skip

    async def correct(request: Request, admin: str) -> Response:
        key = request.path_params["key"]
        action = request.path_params["action"]
        store = site.writer()
        form = await request.form()
        raw_article = str(form.get("article_id", ""))
        try:
            view = store.stories.get(key)
            if action == "original" and raw_article.isdigit():
                store.stories.correct_original(int(raw_article), admin)
            elif action == "split" and raw_article.isdigit():
                new_id = store.stories.correct_split(int(raw_article), admin)
                found = store.stories.of_article(int(raw_article))
                if found is not None and found[0].id == new_id:
                    return RedirectResponse(_story_url(found[0].key, "split"), status_code=303)
            elif action == "merge":
                other = _key_of(str(form.get("other", "")))
                store.stories.correct_merge(
                    _anchor_article(store, view.key), _anchor_article(store, other), admin
                )
                action = "merged"
            elif action == "pin":
                store.stories.pin(view.id, admin)
            elif action == "unpin":
                store.stories.unpin(view.id)
            else:
                return _missing(request)
        except NotFoundError as exc:
            return _error(request, admin, store, key, exc.problem)
        except StoreError as exc:
            return _error(request, admin, store, key, exc.problem)
        return RedirectResponse(_story_url(view.key, action), status_code=303)

    def _error(request: Request, admin: str, store: Store, key: str, problem: str) -> Response:
        try:
            view = store.stories.get(key)
        except NotFoundError:
            return _missing(request)
        return site.page(
            request, "admin/story.html", status=422, admin=admin, story=view,
            members=store.stories.members(view.id), error=problem, done=None,
        )  # fmt: skip

    return [
        Route("/admin/stories", guarded(site, listing), methods=["GET"]),
        Route("/admin/stories/{key}", guarded(site, story), methods=["GET"]),
        Route("/admin/stories/{key}/{action:str}", guarded(site, correct), methods=["POST"]),
    ]
