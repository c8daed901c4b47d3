"""Jinja2 rendering: autoescaped templates and filters; the only place a string is marked safe."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from actuel.text import excerpt
from actuel.web.assets import static_url
from actuel.web.i18n import N_, format_date, gettext_for, locale, ngettext_for
from actuel.web.identity import logo_url, site_languages, social_links


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: no javascript: or data: links ever reach a page."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def page_href(article: Any) -> str | None:
    """Where an article lives at its outlet: its canonical URL (tracking parameters removed) when
    that is on the same site, else the URL we fetched; http(s) only."""
    canonical = getattr(article, "canonical_url", None)
    url = getattr(article, "url", None)
    if canonical and url and urlsplit(canonical).hostname == urlsplit(url).hostname:
        return safe_href(canonical)
    return safe_href(url or canonical)


RELATION_LABELS = {
    "copy": N_("copie de"),
    "excerpt": N_("extrait de"),
    "rewrite": N_("réécriture de"),
    "translation": N_("traduction de"),
    "independent": N_("reportage indépendant"),
    "original": N_("article d'origine"),
}
CATEGORY_NAMES = {
    "politique": N_("Politique"),
    "economie": N_("Économie"),
    "societe": N_("Société"),
    "sante": N_("Santé"),
    "sport": N_("Sport"),
    "culture": N_("Culture"),
    "sciences": N_("Sciences"),
    "international": N_("International"),
    "regional": N_("Régions"),
    "generaliste": N_("Généraliste"),
    "agence": N_("Agences de presse"),
}


def relation_label(relation: str | None, lang: str = "fr") -> str:
    """How a page names a relation: `traduction de`, `copie de`, `reportage indépendant`."""
    label = RELATION_LABELS.get(relation or "")
    return gettext_for(lang)(label) if label else relation or ""


def language_name(code: str | None, lang: str = "fr") -> str:
    """`anglais` for `en` in a French page, `English` in an English one (Babel's locale data);
    the code itself when the locale data has no name for it."""
    if not code:
        _ = gettext_for(lang)
        return _("langue inconnue")
    return str(locale(lang).languages.get(code.lower().replace("-", "_"), code))


def category_name(category: str | None, lang: str = "fr") -> str:
    """A source category as readers see it: `Économie` for `economie`; unknown ones as written."""
    label = CATEGORY_NAMES.get(category or "")
    return gettext_for(lang)(label) if label else category or ""


DIRECTION_BY = {
    "dates": N_("Sens de la reprise établi par l'ordre de publication"),
    "excerpt": N_("Sens de la reprise établi par le texte coupé de l'extrait"),
    "credit": N_("Sens de la reprise établi par la mention de la source"),
}
PLAIN_NUMBER = re.compile(r"^\d[\d.,]*%?$")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _hours(value: float, lang: str) -> str:
    _ = gettext_for(lang)
    if value < 1:
        return _("%(minutes)s min", minutes=max(1, round(value * 60)))
    if value < 48:
        return _("%(hours)s h", hours=format_decimal(round(value, 1), locale=locale(lang)))
    ngettext = ngettext_for(lang)
    return ngettext("%(num)d jour", "%(num)d jours", round(value / 24))


def evidence_lines(evidence: dict[str, object] | None, lang: str = "fr") -> list[str]:
    """The evidence of a relation in a few lines a reader can check; unknown keys skipped."""
    if not evidence:
        return []
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)

    def percent(value: float) -> str:
        return format_percent(value, locale=locale(lang))

    lines = []
    words = _number(evidence.get("passage_words"))
    if words is not None and words >= 8:
        lines.append(
            ngettext(
                "Plus long passage commun : %(num)d mot",
                "Plus long passage commun : %(num)d mots",
                round(words),
            )
        )
    contained = _number(evidence.get("contain_max"))
    if contained is not None and contained >= 0.2:
        lines.append(_("Texte repris mot pour mot : %(share)s", share=percent(contained)))
    cosine = _number(evidence.get("embedding_cosine"))
    if cosine is not None:
        lines.append(_("Proximité de sens : %(share)s", share=percent(cosine)))
    names = evidence.get("shared_names")
    if isinstance(names, list) and names:
        shown = [str(n) for n in names if len(str(n)) > 3][:8]
        if shown:
            lines.append(_("Noms en commun : %(names)s", names=", ".join(shown)))
    numbers = evidence.get("shared_numbers")
    if isinstance(numbers, list):
        shown = [str(n) for n in numbers if PLAIN_NUMBER.match(str(n))][:8]
        if shown:
            lines.append(_("Chiffres en commun : %(numbers)s", numbers=", ".join(shown)))
    quotes = _number(evidence.get("quotes"))
    if quotes is not None and quotes >= 0.3:
        lines.append(_("Citations en commun : %(share)s", share=percent(quotes)))
    gap = _number(evidence.get("time_gap_h"))
    if gap is not None and gap > 0:
        lines.append(_("Publié %(delay)s après sa source", delay=_hours(gap, lang)))
    direction = evidence.get("direction_by")
    if isinstance(direction, str) and direction in DIRECTION_BY:
        lines.append(_(DIRECTION_BY[direction]))
    return lines


def json_ld(data: object) -> Markup:
    """JSON for a `<script type="application/ld+json">` block: `<`, `>`, `&` and the JavaScript
    line separators escaped, so no text inside (a title with `</script>`) can end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - JSON with every character that could end the block escaped


JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _in_page_language(function: Any) -> Any:
    """A filter that reads the page's language from the template context."""

    @pass_context
    def filter_(context: Context, value: Any, *args: Any) -> Any:
        return function(value, *args, lang=context.get("lang", "fr"))

    return filter_


def day_label(day: str | date, short: bool = False, *, lang: str) -> str:
    """A calendar day (or its ISO form) as the page's language writes it: "24 nov." short,
    "24 novembre 2026" long."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    return babel_format_date(when, format="d MMM" if short else "long", locale=locale(lang))


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def mark_spans(text: str, spans: tuple[str, ...] | list[str] | None) -> Markup:
    """The text escaped, each occurrence of `spans` inside <mark class="mt-sign">: the signs of
    a machine translation shown where they stand, the outlet's words unchanged."""
    if not spans:
        return escape(text)
    pattern = re.compile("|".join(re.escape(s) for s in sorted(set(spans), key=len, reverse=True)))
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(Markup('<mark class="mt-sign">{}</mark>').format(found.group()))
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("actuel.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() of each one per page
    )
    env.filters["date"] = format_date
    env.filters["safe_href"] = safe_href
    env.filters["page_href"] = page_href
    env.filters["excerpt"] = excerpt
    env.filters["paragraphs"] = paragraphs
    env.filters["mark_spans"] = mark_spans
    env.filters["relation_label"] = _in_page_language(relation_label)
    env.filters["language_name"] = _in_page_language(language_name)
    env.filters["category_name"] = _in_page_language(category_name)
    env.filters["evidence_lines"] = _in_page_language(evidence_lines)
    env.filters["json_ld"] = json_ld
    env.filters["decimal"] = _in_page_language(
        lambda value, lang: format_decimal(value, format="#,##0.0", locale=locale(lang))
    )
    env.filters["day"] = _in_page_language(day_label)
    env.filters["percent"] = _in_page_language(
        lambda value, lang: format_percent(value, locale=locale(lang))
    )
    # A message held in a variable (an error's detail): translated, still escaped as text.
    env.filters["translated"] = _in_page_language(lambda text, lang: gettext_for(lang)(str(text)))
    env.globals["social_links"] = social_links
    env.globals["logo_url"] = logo_url
    env.globals["site_languages"] = site_languages
    env.globals["static_url"] = static_url
    env.filters["iso"] = lambda d: d.astimezone(UTC).isoformat() if d else ""
    return env


ENVIRONMENT = make_environment()


def _trusted_translation(translate: Callable[..., str]) -> Callable[..., Markup]:
    """Our catalogs' strings are markup we wrote (an apostrophe stays an apostrophe); the values
    put into them are escaped first, so outside text in a translated sentence stays text."""

    def translated(*args: Any, **variables: Any) -> Markup:
        escaped = {k: escape(v) if isinstance(v, str) else v for k, v in variables.items()}
        return Markup(translate(*args, **escaped))  # noqa: S704 - our catalog, values escaped

    return translated


def render(template: str, **context: Any) -> str:
    """The page `template` with `context`; `_`, `gettext`, `ngettext` made template-safe."""
    for name in ("_", "gettext", "ngettext"):
        if callable(context.get(name)):
            context[name] = _trusted_translation(context[name])
    return ENVIRONMENT.get_template(template).render(**context)
