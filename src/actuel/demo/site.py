"""The demo world's articles: reports, generated copies and excerpts, their URLs, the manifest.

Slugs are made here by hand (a dozen lines of unicodedata) rather than adding a dependency for it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from actuel.demo.corpus import Corpus, Derivative, Outlet, Report, Story
from actuel.model import StoryDoc

_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AHP_CREDIT = re.compile(r"\s*\(AHP\)")


@dataclass(frozen=True)
class DemoArticle:
    """One page of the demo world, with the truth about where its text came from."""

    id: str
    story: str
    outlet: Outlet
    lang: str
    title: str
    author: str
    published: datetime
    relation: str  # original | independent | rewrite | translation | copy | excerpt
    derived_from: str | None
    original: str
    machine_translation: bool
    paragraphs: tuple[str, ...]
    category: str
    path: str = ""
    number: int = 0
    read_more: str | None = None  # excerpts: the article id the "Lire la suite" link points to
    synthetic: bool = False
    headline_only: bool = False  # listed in the feed (title and one line); its page answers 404

    def story_doc(self) -> StoryDoc:
        """What the stories stage reads of this article (its outlet's name as the source)."""
        return StoryDoc(
            id=self.id,
            title=self.title,
            text="\n\n".join(self.paragraphs),
            published_at=self.published,
            lang=self.lang,
            source=self.outlet.name,
        )

    def manifest_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story": self.story,
            "outlet": self.outlet.id,
            "lang": self.lang,
            "path": self.path,
            "title": self.title,
            "relation": self.relation,
            "derived_from": self.derived_from,
            "original": self.original,
            "published": self.published.isoformat(),
            "machine_translation": self.machine_translation,
            "headline_only": self.headline_only,
            "synthetic": self.synthetic,
        }


@dataclass
class World:
    """Outlets and articles of one demo world, before it is rendered to bytes."""

    outlets: list[Outlet]
    stories: list[Story]
    articles: list[DemoArticle]
    story_original: dict[str, str] = field(default_factory=dict)

    def by_outlet(self, outlet_id: str) -> list[DemoArticle]:
        """The outlet's articles, newest first (headline-only items included: feeds list them)."""
        rows = [a for a in self.articles if a.outlet.id == outlet_id]
        return sorted(rows, key=lambda a: (a.published, a.id), reverse=True)

    def follow_ups(self, after: timedelta = timedelta(days=3)) -> list[DemoArticle]:
        """Articles published `after` or more past their story's first report: the story goes on."""
        first: dict[str, datetime] = {}
        for a in self.articles:
            first[a.story] = min(first.get(a.story, a.published), a.published)
        return [a for a in self.articles if a.published - first[a.story] >= after]

    def hard_to_place(self) -> set[str]:
        """Ids of the articles that test the stories stage most: follow-ups and headline-only."""
        return {a.id for a in self.follow_ups()} | {a.id for a in self.articles if a.headline_only}

    def manifest(self) -> dict[str, Any]:
        """The truth about the world, host-independent (paths are outlet-relative)."""
        return {
            "outlets": [
                {
                    "id": o.id,
                    "name": o.name,
                    "lang": o.lang,
                    "exposure": o.exposure,
                    "source_path": o.source_path,
                }
                for o in self.outlets
            ],
            "stories": [
                {
                    "id": s.id,
                    "title": s.title,
                    "category": s.category,
                    "original": self.story_original[s.id],
                    "articles": [a.id for a in self.articles if a.story == s.id],
                }
                for s in self.stories
            ],
            "articles": [a.manifest_row() for a in self.articles],
        }


_SECTIONS = {
    "politique": ("politique", "politics", "france-monde", "actualite", "region", "a-la-une"),
    "economie": ("economie", "business"),
    "societe": ("societe", "faits-divers", "region", "actualite", "actualites", "news"),
    "sante": ("sante", "health", "societe", "region", "actualite", "actualites", "news"),
    "sport": ("sport", "actualite", "a-la-une", "actualites", "news", "region"),
    "culture": ("culture", "societe", "buzz", "actualite", "actualites", "news", "region"),
    "sciences": ("sciences", "science", "societe", "buzz", "actualite", "actualites", "news"),
    "international": ("international", "world", "monde", "france-monde", "a-la-une", "news"),
}


def section_of(outlet: Outlet, category: str) -> str:
    """The outlet's own section for a story category (each site names its sections its way)."""
    for name in _SECTIONS.get(category, ()):
        if name in outlet.categories:
            return name
    return outlet.categories[0]


def stable_int(text: str) -> int:
    """A number that depends only on `text` (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def slugify(text: str, limit: int = 70) -> str:
    """ASCII, lower-case, hyphen-separated, cut at a word boundary."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "article"


def article_path(outlet: Outlet, published: datetime, slug: str, number: int, section: str) -> str:
    """The outlet-relative URL of an article, in the outlet's own style."""
    d = published
    style = outlet.url_style
    if style == "dated-slash":
        return f"/{d:%Y/%m/%d}/{slug}/"
    if style == "news-html":
        return f"/news/{slug}.html"
    if style == "numbered-depeche":
        return f"/depeche/{number}-{slug}"
    if style == "dated-section":
        return f"/{section}/{d:%Y}/{_MONTHS_EN[d.month - 1]}/{d:%d}/{slug}"
    if style == "query-p":
        return f"/?p={number}"
    if style == "actu-html":
        return f"/actu/{slug}-{number}.html"
    if style == "numbered-article":
        return f"/article/{number}-{slug}"
    return f"/index.php/{d:%Y/%m/%d}/{slug}/"


def _root(report: Report, by_id: dict[str, Report]) -> str:
    seen = {report.id}
    while report.derived_from:
        report = by_id[report.derived_from]
        if report.id in seen:
            break
        seen.add(report.id)
    return report.id


def cut_excerpt(paragraphs: tuple[str, ...], key: str) -> tuple[str, ...]:
    """The first one or two paragraphs, the last one cut mid-sentence and ended with "…"."""
    take = 2 if len(paragraphs) >= 2 and stable_int(key) % 2 == 0 else 1
    kept = list(paragraphs[:take])
    words = kept[-1].split()
    cut = max(4, int(len(words) * 0.6)) if len(words) > 6 else max(1, len(words) - 1)
    # never stop right after a sentence end: the cut must look mid-sentence
    while cut > 1 and words[cut - 1][-1:] in ".!?»”":
        cut -= 1
    kept[-1] = " ".join(words[:cut]).rstrip(",;:–-") + "…"
    return tuple(kept)


def _copy_text(paragraphs: tuple[str, ...], source_outlet: Outlet, key: str) -> tuple[str, ...]:
    """A verbatim copy that sometimes names its source and sometimes drops the credit."""
    variant = stable_int(key) % 4
    if variant == 0:
        return (*paragraphs, f"Source : {source_outlet.name}")
    if variant == 1:
        return paragraphs
    if variant == 2:
        return tuple(_AHP_CREDIT.sub("", p) for p in paragraphs)
    return tuple(_AHP_CREDIT.sub(" (avec agences)", p) for p in paragraphs)


def _derivative(
    der: Derivative, source: DemoArticle, outlet: Outlet, article_id: str
) -> DemoArticle:
    if der.kind == "copy":
        paragraphs = _copy_text(source.paragraphs, source.outlet, article_id)
        author = source.author if stable_int(article_id + "a") % 2 else "La rédaction"
    else:
        paragraphs = cut_excerpt(source.paragraphs, article_id)
        author = "Rédaction " + outlet.name
    return replace(
        source,
        id=article_id,
        outlet=outlet,
        author=author,
        published=source.published + timedelta(minutes=der.delay_minutes),
        relation=der.kind,
        derived_from=source.id,
        paragraphs=paragraphs,
        read_more=source.id if der.kind == "excerpt" else None,
        headline_only=False,
    )


def _story_articles(story: Story, corpus: Corpus, taken: set[str]) -> list[DemoArticle]:
    by_id = {r.id: r for r in story.reports}
    articles: dict[str, DemoArticle] = {}
    for report in story.reports:
        articles[report.id] = DemoArticle(
            id=report.id,
            story=story.id,
            outlet=corpus.outlet(report.outlet),
            lang=report.lang,
            title=report.title,
            author=report.author,
            published=report.published,
            relation=report.relation,
            derived_from=report.derived_from,
            original=_root(report, by_id),
            machine_translation=report.machine_translation,
            paragraphs=report.paragraphs,
            category=story.category,
            headline_only=report.headline_only,
        )
        taken.add(report.id)
    for der in story.derivatives:
        base = f"{story.id}-{der.outlet}"
        article_id, n = base, 2
        while article_id in taken:
            article_id, n = f"{base}-{n}", n + 1
        taken.add(article_id)
        articles[article_id] = _derivative(
            der, articles[der.of], corpus.outlet(der.outlet), article_id
        )
    return list(articles.values())


def assign_paths(articles: list[DemoArticle], offset: int = 0) -> list[DemoArticle]:
    """Give every article its outlet-style URL path; numbers grow with publication time."""
    done: list[DemoArticle] = []
    by_outlet: dict[str, list[DemoArticle]] = {}
    for article in articles:
        by_outlet.setdefault(article.outlet.id, []).append(article)
    for outlet_id, rows in by_outlet.items():
        rows.sort(key=lambda a: (a.published, a.id))
        first = 10_000 + stable_int(outlet_id) % 80_000 + offset
        used: set[str] = set()
        for n, article in enumerate(rows):
            number = first + 7 * n
            slug = slugify(article.title)
            section = section_of(article.outlet, article.category)
            path = article_path(article.outlet, article.published, slug, number, section)
            k = 2
            while path in used:
                path = article_path(
                    article.outlet, article.published, f"{slug}-{k}", number, section
                )
                k += 1
            used.add(path)
            done.append(replace(article, path=path, number=number))
    order = {a.id: i for i, a in enumerate(articles)}
    return sorted(done, key=lambda a: order[a.id])


def build_world(corpus: Corpus) -> World:
    """All articles of the corpus (reports, then copies and excerpts), with paths."""
    taken: set[str] = set()
    articles: list[DemoArticle] = []
    story_original: dict[str, str] = {}
    for story in corpus.stories:
        rows = _story_articles(story, corpus, taken)
        originals = sorted(
            (a for a in rows if a.relation == "original"), key=lambda a: (a.published, a.id)
        )
        story_original[story.id] = originals[0].id
        articles.extend(rows)
    return World(
        outlets=list(corpus.outlets),
        stories=list(corpus.stories),
        articles=assign_paths(articles),
        story_original=story_original,
    )
