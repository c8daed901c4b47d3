"""The search page /search: a form (words, language, outlet, dates) and highlighted results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from actuel.store import SearchFilters, SearchHit, snippet_parts
from actuel.web.i18n import N_
from actuel.web.site import Site

MAX_PAGE = 50  # deeper pages cost more and nobody reads them: refine the words instead
MAX_QUERY_CHARS = 300


@dataclass
class SearchForm:
    """What the reader asked, as typed (shown back in the form) and as understood."""

    q: str = ""
    lang: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    page: int = 1
    errors: list[str] | None = None

    def filters(self) -> SearchFilters:
        since, until = _day(self.since), _day(self.until)
        return SearchFilters(
            lang=self.lang or None,
            source_id=int(self.outlet) if self.outlet.isdigit() else None,
            since=since,
            until=until + timedelta(days=1) if until else None,  # the whole last day
        )

    def link(self, page: int) -> str:
        """This search at another page."""
        params = {
            "q": self.q,
            "lang": self.lang,
            "outlet": self.outlet,
            "since": self.since,
            "until": self.until,
        }
        query = {k: v for k, v in params.items() if v}
        if page > 1:
            query["page"] = str(page)
        return "/search?" + urlencode(query)


def _day(value: str) -> datetime | None:
    if not value:
        return None
    return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)


def read_form(request: Request) -> SearchForm:
    """The form from the query string; what cannot be understood is dropped with a message."""
    params = request.query_params
    form = SearchForm(
        q=params.get("q", "").strip()[:MAX_QUERY_CHARS],
        lang=params.get("lang", "").strip()[:16],
        outlet=params.get("outlet", "").strip()[:12],
        since=params.get("since", "").strip()[:10],
        until=params.get("until", "").strip()[:10],
        errors=[],
    )
    assert form.errors is not None
    for name in ("since", "until"):
        try:
            _day(getattr(form, name))
        except ValueError:
            form.errors.append(N_("Date non reconnue : écrivez-la sous la forme AAAA-MM-JJ."))
            setattr(form, name, "")
    if form.outlet and not form.outlet.isdigit():
        form.outlet = ""
    raw_page = params.get("page", "1")
    form.page = int(raw_page) if raw_page.isdigit() else 1
    if not 1 <= form.page <= MAX_PAGE:
        form.errors.append(
            N_("Cette page de résultats n'existe pas : précisez plutôt la recherche.")
        )
        form.page = max(1, min(form.page, MAX_PAGE))
    return form


def routes(site: Site) -> list[BaseRoute]:
    """The search page."""

    def search(request: Request) -> Response:
        form = read_form(request)
        store = site.store()
        outlets = sorted(
            (s for s in store.sources.all() if s.id is not None), key=lambda s: s.name.lower()
        )
        hits: list[SearchHit] = []
        has_more = False
        size = site.page_size
        if form.q:
            found = store.search.page(
                form.q, form.filters(), limit=size, offset=(form.page - 1) * size
            )
            hits, has_more = found.hits, found.has_more and form.page < MAX_PAGE
        ids = [hit.article.id for hit in hits if hit.article.id is not None]
        translated = store.translations.of_articles(ids, site.lang(request))
        response = site.page(
            request,
            "search.html",
            form=form,
            translated={t.article_id: t for t in translated},
            hits=[(hit, snippet_parts(hit.snippet)) for hit in hits],
            outlets=outlets,
            names={s.id: s.name for s in outlets},
            next_page=form.link(form.page + 1) if has_more else None,
            previous_page=form.link(form.page - 1) if form.page > 1 else None,
            first=(form.page - 1) * size + 1,
        )
        # readers' searches are endless and rarely repeated: kept out of the page cache
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    return [Route("/search", search)]
