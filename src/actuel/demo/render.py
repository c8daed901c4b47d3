"""HTML pages of the demo outlets (articles, home pages, 404s) from their Jinja2 templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from actuel.demo.site import DemoArticle, World, section_of, slugify
from actuel.text import FRENCH_MONTHS as MONTHS_FR

HOME_SYNTHETIC = 30  # synthetic articles listed on a home page (real ones are all listed)


def fr_date(moment: datetime) -> str:
    """`18 novembre 2026 à 07h40`, as French sites print dates."""
    return f"{moment.day} {MONTHS_FR[moment.month - 1]} {moment.year} à {moment:%Hh%M}"


def fr_numeric(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y à %H:%M}"


def en_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("actuel.demo", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        fr_date=fr_date, fr_numeric=fr_numeric, en_date=en_date, hhmm=hhmm, slug=slugify
    )
    return env


@dataclass(frozen=True)
class Link:
    """An article as other pages link to it."""

    title: str
    url: str
    published: datetime
    summary: str


def summary_of(article: DemoArticle, limit: int = 220) -> str:
    first = article.paragraphs[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


class PageRenderer:
    """Renders every page of a world once the outlets' base URLs are known."""

    def __init__(self, world: World, base_urls: dict[str, str], feed_urls: dict[str, str]):
        self.world = world
        self.base_urls = base_urls
        self.feed_urls = feed_urls
        self.env = make_environment()
        self.by_id = {a.id: a for a in world.articles}
        # every item of an outlet (its feed), and those with a page (its home page and links)
        self.outlet_rows = {o.id: world.by_outlet(o.id) for o in world.outlets}
        self.page_rows = {
            oid: [a for a in rows if not a.headline_only] for oid, rows in self.outlet_rows.items()
        }
        self.position = {a.id: n for rows in self.page_rows.values() for n, a in enumerate(rows)}
        self.today = max((a.published for a in world.articles), default=datetime(2026, 11, 25))

    def url_of(self, article: DemoArticle) -> str:
        return self.base_urls[article.outlet.id] + article.path

    def link(self, article: DemoArticle) -> Link:
        return Link(article.title, self.url_of(article), article.published, summary_of(article))

    def _latest(self, outlet_id: str) -> list[Link]:
        return [self.link(a) for a in self.page_rows[outlet_id][:6]]

    def _related(self, article: DemoArticle) -> list[Link]:
        rows = self.page_rows[article.outlet.id]
        n = self.position[article.id]
        picks = [rows[i] for i in (n + 1, n + 2, n - 1, n + 3) if 0 <= i < len(rows)]
        return [self.link(a) for a in picks[:3]]

    def _jsonld(self, article: DemoArticle, url: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "dateModified": article.published.isoformat(),
            "inLanguage": article.lang,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "publisher": {"@type": "Organization", "name": article.outlet.name},
        }
        if article.outlet.id != "echo-des-collines":
            data["author"] = {"@type": "Person", "name": article.author}
        return data

    def _base_context(self, outlet_id: str) -> dict[str, Any]:
        outlet = next(o for o in self.world.outlets if o.id == outlet_id)
        return {
            "outlet": outlet,
            "base": self.base_urls[outlet_id],
            "feed_url": self.feed_urls.get(outlet_id, ""),
            "latest": self._latest(outlet_id),
            "today": self.today,
            "charset": outlet.charset,
            "a": None,
            "home": False,
            "related": [],
            "items": [],
        }

    def article_page(self, article: DemoArticle) -> str:
        url = self.url_of(article)
        outlet = article.outlet
        source = self.by_id.get(article.read_more) if article.read_more else None
        view = {
            "title": article.title,
            "author": article.author,
            "url": url,
            "canonical": url,
            "slug": slugify(article.title),
            "section": section_of(outlet, article.category),
            "summary": summary_of(article),
            "published": article.published,
            "paragraphs": article.paragraphs,
            "number": article.number,
            "read_more_url": self.url_of(source) if source else "",
            "read_more_name": source.outlet.name if source else "",
            "jsonld": self._jsonld(article, url),
        }
        context = self._base_context(outlet.id)
        context.update(a=view, related=self._related(article))
        return self.env.get_template(f"{outlet.template}.html").render(context)

    def home_page(self, outlet_id: str) -> str:
        rows = self.page_rows[outlet_id]
        real = [a for a in rows if not a.synthetic]
        synthetic = [a for a in rows if a.synthetic][:HOME_SYNTHETIC]
        listed = sorted(real + synthetic, key=lambda a: (a.published, a.id), reverse=True)
        context = self._base_context(outlet_id)
        context.update(home=True, items=[self.link(a) for a in listed])
        return self.env.get_template(f"{context['outlet'].template}.html").render(context)

    def not_found_page(self, outlet_id: str) -> str:
        context = self._base_context(outlet_id)
        return self.env.get_template(f"{context['outlet'].template}.html").render(context)
