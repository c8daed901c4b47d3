"""The site's message catalogs: extract French msgids (templates and Python) and merge them (Babel).

Used by scripts/i18n.py (writes the files) and by the catalog test (fails when they are stale).
The mapping below is the equivalent of a babel.cfg, kept beside the code that reads it.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent
LOCALE_DIR = WEB / "locale"
TEMPLATE_FILE = LOCALE_DIR / "messages.pot"
TRANSLATED = ("en",)  # French is the language of the message ids
METHOD_MAP = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
}
# Fixed so that regenerating an unchanged catalog leaves the files unchanged.
EPOCH = datetime(2026, 11, 25, tzinfo=UTC)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Babel writes its own version into every header: a new Babel release must not make the files stale
GENERATED_BY = re.compile(rb'^"Generated-By: Babel [^"\\]*\\n"$', re.MULTILINE)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def extract(root: Path = WEB) -> Catalog:
    """Every message of the site's templates and Python modules, as a template catalog."""
    catalog = Catalog(
        project="actuel", fuzzy=False, creation_date=EPOCH, revision_date=EPOCH, charset="utf-8"
    )
    found = extract_from_dir(
        str(root),
        method_map=METHOD_MAP,
        options_map={"**/templates/**.html": {"trimmed": "false"}},
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def dump(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False)
    return GENERATED_BY.sub(rb'"Generated-By: Babel\\n"', out.getvalue())


def merged(template: Catalog, lang: str) -> Catalog:
    """`lang`'s catalog updated to `template`: translations kept, new ids empty, old ones gone."""
    path = catalog_path(lang)
    if path.is_file():
        catalog = read(path, lang)
    else:
        catalog = Catalog(
            locale=lang, project="actuel", fuzzy=False, creation_date=EPOCH, revision_date=EPOCH
        )
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def update() -> list[Path]:
    """Write messages.pot and every translated catalog; the files written."""
    template = extract()
    TEMPLATE_FILE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE_FILE.write_bytes(dump(template))
    written = [TEMPLATE_FILE]
    for lang in TRANSLATED:
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump(merged(template, lang)))
        written.append(path)
    return written


def problems(lang: str) -> list[str]:
    """What is wrong with `lang`'s catalog: ids missing or stale, untranslated, placeholders."""
    fix = "run `python scripts/i18n.py`, then translate the empty msgstr in " + str(
        catalog_path(lang).relative_to(WEB.parent.parent.parent)
    )
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    catalog = read(catalog_path(lang), lang)
    found: list[str] = []
    have: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        have.add(ids[0])
        strings = (
            (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        )
        if message.fuzzy or not all(strings):
            found.append(f"{lang}: no translation for {ids[0]!r} ({fix})")
            continue
        names = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != names:
                found.append(
                    f"{lang}: {ids[0]!r} is translated with other placeholders than"
                    f" {sorted(names)}: {string!r} (keep the same %(name)s in the msgstr)"
                )
    found += [f"{lang}: {m!r} is used but not in the catalog ({fix})" for m in wanted - have]
    found += [f"{lang}: {m!r} is no longer used ({fix})" for m in have - wanted]
    return sorted(found)
