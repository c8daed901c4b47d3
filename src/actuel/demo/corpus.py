"""Read and check the demo world's source files: outlets.toml and one TOML file per story."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from actuel.errors import DemoCorpusError

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

EXPOSURES = ("rss2", "json", "newssitemap", "atom", "rdf", "homepage", "atom-broken")
URL_STYLES = (
    "dated-slash",
    "news-html",
    "numbered-depeche",
    "dated-section",
    "query-p",
    "actu-html",
    "numbered-article",
    "index-php",
)
CATEGORIES = (
    "politique",
    "economie",
    "societe",
    "sante",
    "sport",
    "culture",
    "sciences",
    "international",
)
RELATIONS = ("original", "independent", "rewrite", "translation")
DERIVATIVE_KINDS = ("copy", "excerpt")
# exposures whose items carry a line of text: the only ones that can list a headline-only item
LINE_EXPOSURES = ("rss2", "json", "atom", "rdf")
HEADLINE_MAX_WORDS = 50
LANGS = ("fr", "en")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Outlet:
    """A fictional news outlet: who it is, how it is exposed and how its server behaves."""

    id: str
    name: str
    lang: str
    role: str
    exposure: str
    source_path: str
    url_style: str
    template: str
    category: str
    categories: tuple[str, ...]
    feed_content: bool = False
    slow_s: float = 0.0
    flaky_every: int = 0
    broken_feed: bool = False
    charset: str = "utf-8"  # how its HTML pages are encoded and labelled
    disallow: tuple[str, ...] = ()  # robots.txt Disallow: lines (never our article paths)


@dataclass(frozen=True)
class Report:
    """A hand-written text of a story, as published by one outlet."""

    id: str
    outlet: str
    lang: str
    relation: str
    derived_from: str | None
    published: datetime
    author: str
    title: str
    machine_translation: bool
    paragraphs: tuple[str, ...]
    # only in the outlet's feed (title and one line); its link answers 404
    headline_only: bool = False


@dataclass(frozen=True)
class Derivative:
    """A text the engine makes from a report: a verbatim copy or a cut excerpt elsewhere."""

    of: str
    outlet: str
    kind: str
    delay_minutes: int


@dataclass(frozen=True)
class Story:
    """One news event and every report of it."""

    id: str
    slug: str
    category: str
    title: str
    file: str
    reports: tuple[Report, ...]
    derivatives: tuple[Derivative, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Corpus:
    """Every outlet and story of the demo world, checked."""

    outlets: tuple[Outlet, ...]
    stories: tuple[Story, ...]

    def outlet(self, outlet_id: str) -> Outlet:
        return next(o for o in self.outlets if o.id == outlet_id)


def _fail(file: Path | str, problem: str, fix: str) -> DemoCorpusError:
    return DemoCorpusError(problem, fix=fix, source=str(file))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "file does not exist", "restore it from git") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not valid TOML: {exc}", "fix the TOML syntax") from None


def _get(
    table: dict[str, Any], key: str, kind: type, where: str, path: Path, default: Any = None
) -> Any:
    if key not in table:
        if default is not None:
            return default
        raise _fail(path, f"{where}: missing key {key!r}", f"add {key} = … to {where}")
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(
            path,
            f"{where}: {key} is {type(value).__name__}, expected {kind.__name__}",
            f"give {key} a {kind.__name__} value",
        )
    return value


def _choice(value: str, allowed: tuple[str, ...], key: str, where: str, path: Path) -> str:
    if value not in allowed:
        raise _fail(
            path, f"{where}: {key} {value!r} is not allowed", f"use one of {', '.join(allowed)}"
        )
    return value


def load_outlets(path: Path) -> tuple[Outlet, ...]:
    """Read outlets.toml; raise DemoCorpusError naming the file and the problem."""
    data = _read_toml(path)
    rows = data.get("outlets")
    if not isinstance(rows, list) or not rows:
        raise _fail(path, "no [[outlets]] tables", "declare each outlet in an [[outlets]] table")
    outlets: list[Outlet] = []
    for n, row in enumerate(rows, 1):
        where = f"outlet #{n}"
        oid = _get(row, "id", str, where, path)
        where = f"outlet {oid!r}"
        if not _ID.match(oid):
            raise _fail(path, f"{where}: id must be lower-case letters, digits, -", "rename it")
        if any(o.id == oid for o in outlets):
            raise _fail(path, f"{where}: declared twice", "give each outlet its own id")
        template = _get(row, "template", str, where, path)
        if not (Path(__file__).parent / "templates" / f"{template}.html").is_file():
            raise _fail(path, f"{where}: no template {template}.html", "add it to demo/templates/")
        outlets.append(
            Outlet(
                id=oid,
                name=_get(row, "name", str, where, path),
                lang=_choice(_get(row, "lang", str, where, path), LANGS, "lang", where, path),
                role=_get(row, "role", str, where, path),
                exposure=_choice(
                    _get(row, "exposure", str, where, path), EXPOSURES, "exposure", where, path
                ),
                source_path=_get(row, "source_path", str, where, path),
                url_style=_choice(
                    _get(row, "url_style", str, where, path), URL_STYLES, "url_style", where, path
                ),
                template=template,
                category=_get(row, "category", str, where, path),
                categories=tuple(_get(row, "categories", list, where, path)),
                feed_content=bool(row.get("feed_content", False)),
                slow_s=float(row.get("slow_s", 0.0)),
                flaky_every=int(row.get("flaky_every", 0)),
                broken_feed=bool(row.get("broken_feed", False)),
                charset=str(row.get("charset", "utf-8")),
                disallow=tuple(str(p) for p in row.get("disallow", [])),
            )
        )
    return tuple(outlets)


def _published(value: Any, where: str, path: Path) -> datetime:
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(
            path,
            f"{where}: published {text!r} is not an ISO 8601 date",
            'write it like "2026-11-18T06:40:00+01:00"',
        ) from None
    if moment.tzinfo is None:
        raise _fail(path, f"{where}: published {text!r} has no UTC offset", "add +01:00 or Z")
    return moment


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of a story text: blocks separated by blank lines, inner line breaks joined."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(
        " ".join(line.strip() for line in b.splitlines()).strip() for b in blocks if b.strip()
    )


def _check_headline_only(
    where: str, path: Path, outlet: Outlet, relation: str, paragraphs: tuple[str, ...]
) -> None:
    """A headline-only item is a title and one line in a feed that carries that line."""
    if outlet.exposure not in LINE_EXPOSURES:
        raise _fail(
            path,
            f"{where}: {outlet.id} ({outlet.exposure}) cannot list a headline-only item",
            f"give it to an outlet exposed by {', '.join(LINE_EXPOSURES)}",
        )
    if relation not in ("original", "independent"):
        raise _fail(
            path,
            f"{where}: a headline-only {relation} is not supported",
            "make it independent (the newsroom's own brief), or give it a page",
        )
    if len(paragraphs) != 1 or len(paragraphs[0].split()) > HEADLINE_MAX_WORDS:
        raise _fail(
            path,
            f"{where}: a headline-only item has one line of at most {HEADLINE_MAX_WORDS} words",
            "cut its text to one sentence",
        )


def load_story(path: Path, outlets: Mapping[str, Outlet]) -> Story:
    """Read one story file and check it against the outlets and itself."""
    outlet_langs = {oid: o.lang for oid, o in outlets.items()}
    data = _read_toml(path)
    sid = _get(data, "id", str, "story", path)
    where = f"story {sid!r}"
    category = _choice(
        _get(data, "category", str, where, path), CATEGORIES, "category", where, path
    )
    raw_reports = data.get("reports")
    if not isinstance(raw_reports, list) or not raw_reports:
        raise _fail(path, f"{where}: no [[reports]]", "add at least one [[reports]] table")
    reports: list[Report] = []
    for n, row in enumerate(raw_reports, 1):
        rwhere = f"{where}, report #{n}"
        rid = _get(row, "id", str, rwhere, path)
        rwhere = f"{where}, report {rid!r}"
        if not _ID.match(rid) or not rid.startswith(sid + "-"):
            raise _fail(path, f"{rwhere}: id must look like {sid}-<outlet>", "rename the report")
        if any(r.id == rid for r in reports):
            raise _fail(path, f"{rwhere}: id used twice", "add -2 to the second one")
        outlet = _get(row, "outlet", str, rwhere, path)
        if outlet not in outlet_langs:
            raise _fail(path, f"{rwhere}: unknown outlet {outlet!r}", "use an id of outlets.toml")
        relation = _choice(
            _get(row, "relation", str, rwhere, path), RELATIONS, "relation", rwhere, path
        )
        derived = str(row.get("derived_from", "") or "") or None
        if relation in ("rewrite", "translation") and not derived:
            raise _fail(
                path, f"{rwhere}: a {relation} needs derived_from", "name the source report"
            )
        if relation in ("original", "independent") and derived:
            raise _fail(
                path, f"{rwhere}: an {relation} has no derived_from", 'set derived_from = ""'
            )
        lang = _choice(_get(row, "lang", str, rwhere, path), LANGS, "lang", rwhere, path)
        if lang != outlet_langs[outlet]:
            raise _fail(
                path,
                f"{rwhere}: lang {lang!r} but {outlet} publishes in {outlet_langs[outlet]!r}",
                "give the report to an outlet of its language",
            )
        paragraphs = split_paragraphs(_get(row, "text", str, rwhere, path))
        if not paragraphs:
            raise _fail(path, f"{rwhere}: text is empty", "write the report")
        headline_only = bool(row.get("headline_only", False))
        if headline_only:
            _check_headline_only(rwhere, path, outlets[outlet], relation, paragraphs)
        reports.append(
            Report(
                id=rid,
                outlet=outlet,
                lang=lang,
                relation=relation,
                derived_from=derived,
                published=_published(row.get("published", ""), rwhere, path),
                author=_get(row, "author", str, rwhere, path),
                title=_get(row, "title", str, rwhere, path).strip(),
                machine_translation=bool(row.get("machine_translation", False)),
                paragraphs=paragraphs,
                headline_only=headline_only,
            )
        )
    by_id = {r.id: r for r in reports}
    for report in reports:
        if report.derived_from is None:
            continue
        source = by_id.get(report.derived_from)
        if source is None:
            raise _fail(
                path,
                f"{where}, report {report.id!r}: derived_from {report.derived_from!r} is not a "
                "report of this story",
                "name a report id of the same file",
            )
        if source.headline_only:
            raise _fail(
                path,
                f"{where}, report {report.id!r}: derived from {source.id!r}, a headline-only item",
                "derive it from a report with a page",
            )
        if (report.relation == "translation") == (report.lang == source.lang):
            raise _fail(
                path,
                f"{where}, report {report.id!r}: a {report.relation} in {report.lang!r} of a "
                f"{source.lang!r} text",
                "a translation changes the language, a rewrite keeps it",
            )
        if report.published <= source.published:
            raise _fail(
                path,
                f"{where}, report {report.id!r}: published before its source {source.id!r}",
                "publish derived texts after their source",
            )
    if not any(r.relation == "original" for r in reports):
        raise _fail(path, f'{where}: no report with relation = "original"', "mark the first one")
    derivatives: list[Derivative] = []
    for n, row in enumerate(data.get("derivatives", []) or [], 1):
        dwhere = f"{where}, derivative #{n}"
        of = _get(row, "of", str, dwhere, path)
        if of not in by_id:
            raise _fail(
                path, f"{dwhere}: of {of!r} is not a report of this story", "name a report id"
            )
        if by_id[of].headline_only:
            raise _fail(
                path,
                f"{dwhere}: {of!r} is a headline-only item, with no page to copy",
                "copy a report with a page",
            )
        outlet = _get(row, "outlet", str, dwhere, path)
        if outlet not in outlet_langs:
            raise _fail(path, f"{dwhere}: unknown outlet {outlet!r}", "use an id of outlets.toml")
        if outlet == by_id[of].outlet:
            raise _fail(path, f"{dwhere}: {outlet} would copy itself", "name another outlet")
        if outlet_langs[outlet] != by_id[of].lang:
            raise _fail(
                path,
                f"{dwhere}: {outlet} ({outlet_langs[outlet]}) cannot copy a {by_id[of].lang} text",
                "copy it to an outlet of the same language, or copy a translation",
            )
        delay = _get(row, "delay_minutes", int, dwhere, path)
        if delay <= 0:
            raise _fail(path, f"{dwhere}: delay_minutes must be > 0", "copies come after")
        derivatives.append(
            Derivative(
                of=of,
                outlet=outlet,
                kind=_choice(
                    _get(row, "kind", str, dwhere, path), DERIVATIVE_KINDS, "kind", dwhere, path
                ),
                delay_minutes=delay,
            )
        )
    return Story(
        id=sid,
        slug=_get(data, "slug", str, where, path),
        category=category,
        title=_get(data, "title", str, where, path),
        file=path.name,
        reports=tuple(reports),
        derivatives=tuple(derivatives),
    )


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> Corpus:
    """Every outlet and story under `corpus_dir`, checked, stories in file-name order."""
    outlets = load_outlets(corpus_dir / "outlets.toml")
    by_id = {o.id: o for o in outlets}
    stories: list[Story] = []
    for path in sorted((corpus_dir / "stories").glob("*.toml")):
        story = load_story(path, by_id)
        if any(s.id == story.id for s in stories):
            raise _fail(path, f"story id {story.id!r} is used by another file", "rename it")
        stories.append(story)
    if not stories:
        raise _fail(corpus_dir / "stories", "no story files", "add stories/<id>.toml files")
    return Corpus(outlets=outlets, stories=tuple(stories))
