"""Jinja2 rendering: autoescaped templates and filters; the only place a string is marked safe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date(value: datetime | None, lang: str = "fr") -> str:
    """`18 novembre 2026 à 07:40` in French, `18 November 2026, 07:40` in English (UTC)."""
    if value is None:
        return ""
    value = value.astimezone(UTC)
    if value.time() == datetime.min.time():  # a date without a time of day
        if lang == "fr":
            return f"{value.day} {FRENCH_MONTHS[value.month - 1]} {value.year}"
        return f"{value.day} {value:%B %Y}"
    if lang == "fr":
        return f"{value.day} {FRENCH_MONTHS[value.month - 1]} {value.year} à {value:%H:%M}"
    return f"{value.day} {value:%B %Y, %H:%M}"


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: no javascript: or data: links ever reach a page."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def excerpt(text: str | None, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    if not text:
        return ""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + " …"


RELATION_LABELS = {
    "copy": "copie de",
    "excerpt": "extrait de",
    "rewrite": "réécriture de",
    "translation": "traduction de",
    "independent": "reportage indépendant",
    "original": "article d'origine",
}

LANGUAGE_NAMES = {
    "fr": "français",
    "en": "anglais",
    "de": "allemand",
    "es": "espagnol",
    "it": "italien",
    "pt": "portugais",
    "nl": "néerlandais",
    "ar": "arabe",
    "ru": "russe",
    "pl": "polonais",
    "tr": "turc",
    "zh": "chinois",
}


def relation_label(relation: str | None) -> str:
    """How a page names a relation: `traduction de`, `copie de`, `reportage indépendant`."""
    return RELATION_LABELS.get(relation or "", relation or "")


def language_name(code: str | None) -> str:
    """`français` for `fr`; the code itself when we have no name for it; `langue inconnue`."""
    if not code:
        return "langue inconnue"
    return LANGUAGE_NAMES.get(code.lower(), code)


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("actuel.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    env.filters["safe_href"] = safe_href
    env.filters["excerpt"] = excerpt
    env.filters["paragraphs"] = paragraphs
    env.filters["relation_label"] = relation_label
    env.filters["language_name"] = language_name
    env.filters["iso"] = lambda d: d.astimezone(UTC).isoformat() if d else ""
    return env


ENVIRONMENT = make_environment()


def render(template: str, **context: Any) -> str:
    return ENVIRONMENT.get_template(template).render(**context)
