"""Jinja2 rendering: autoescaped templates and filters; the only place a string is marked safe."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from actuel.web.i18n import format_date

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


DIRECTION_BY = {
    "dates": "l'ordre de publication",
    "excerpt": "le texte coupé de l'extrait",
    "credit": "la mention de la source",
}
PLAIN_NUMBER = re.compile(r"^\d[\d.,]*%?$")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def _hours(value: float) -> str:
    if value < 1:
        return f"{max(1, round(value * 60))} min"
    if value < 48:
        return f"{value:.1f} h".replace(".0 h", " h").replace(".", ",")
    return f"{round(value / 24)} jours"


def evidence_lines(evidence: dict[str, object] | None) -> list[str]:
    """The evidence of a relation in a few French lines a reader can check; unknown keys skipped."""
    if not evidence:
        return []
    lines = []
    words = _number(evidence.get("passage_words"))
    if words is not None and words >= 8:
        lines.append(f"Plus long passage commun : {round(words)} mots")
    contained = _number(evidence.get("contain_max"))
    if contained is not None and contained >= 0.2:
        lines.append(f"Texte repris mot pour mot : {_percent(contained)}")
    cosine = _number(evidence.get("embedding_cosine"))
    if cosine is not None:
        lines.append(f"Proximité de sens : {_percent(cosine)}")
    names = evidence.get("shared_names")
    if isinstance(names, list) and names:
        shown = [str(n) for n in names if len(str(n)) > 3][:8]
        if shown:
            lines.append("Noms en commun : " + ", ".join(shown))
    numbers = evidence.get("shared_numbers")
    if isinstance(numbers, list):
        shown = [str(n) for n in numbers if PLAIN_NUMBER.match(str(n))][:8]
        if shown:
            lines.append("Chiffres en commun : " + ", ".join(shown))
    quotes = _number(evidence.get("quotes"))
    if quotes is not None and quotes >= 0.3:
        lines.append(f"Citations en commun : {_percent(quotes)}")
    gap = _number(evidence.get("time_gap_h"))
    if gap is not None and gap > 0:
        lines.append(f"Publié {_hours(gap)} après sa source")
    direction = evidence.get("direction_by")
    if isinstance(direction, str) and direction in DIRECTION_BY:
        lines.append(f"Sens de la reprise établi par {DIRECTION_BY[direction]}")
    return lines


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
    env.filters["evidence_lines"] = evidence_lines
    env.filters["iso"] = lambda d: d.astimezone(UTC).isoformat() if d else ""
    return env


ENVIRONMENT = make_environment()


def render(template: str, **context: Any) -> str:
    return ENVIRONMENT.get_template(template).render(**context)
