"""OPML subscription lists in and out: nested folders become categories; the parser is defused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from actuel.errors import ParseError
from actuel.model import Source
from actuel.parse.xmlsafe import prepare_xml, safe_parser
from actuel.urls import is_http_url

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# outline types -> source kinds: readers write rss or atom; actuel writes sitemap and page too
_KINDS = {"rss": "feed", "atom": "feed", "feed": "feed", "sitemap": "sitemap", "page": "page"}


@dataclass
class OpmlOutline:
    """One subscription of an OPML file."""

    url: str
    title: str | None = None
    site_url: str | None = None
    category: str | None = None
    lang: str | None = None
    kind: str | None = None  # "feed", "sitemap" or "page" (the `type` actuel writes); None: a feed


def _attr(element: etree._Element, *names: str) -> str | None:
    lowered = {str(k).lower(): v for k, v in element.attrib.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value and value.strip():
            return str(value).strip()
    return None


def _walk(element: etree._Element, folders: list[str], found: dict[str, OpmlOutline]) -> None:
    for child in element:
        if not isinstance(child.tag, str) or child.tag.rsplit("}", 1)[-1].lower() != "outline":
            continue
        url = _attr(child, "xmlUrl", "url")
        label = _attr(child, "title", "text")
        if url and is_http_url(url):
            category = _attr(child, "category")
            if category:
                # OPML 2.0: comma-separated slash paths; the first one is the folder.
                category = category.split(",")[0].strip().strip("/") or None
            outline = OpmlOutline(
                url=url,
                title=label,
                site_url=_attr(child, "htmlUrl"),
                category=category or ("/".join(folders) or None),
                lang=_attr(child, "language", "lang", _XML_LANG),
                kind=_KINDS.get((_attr(child, "type") or "").lower()),
            )
            found.setdefault(url, outline)
            _walk(child, folders, found)
        else:
            _walk(child, [*folders, label] if label else folders, found)


def parse_opml(content: bytes) -> list[OpmlOutline]:
    """The feeds an OPML file lists, once each, with folders as categories ("News/Regional")."""
    xml, _notes = prepare_xml(content)
    try:
        root = etree.fromstring(xml, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            f"OPML file is not readable XML: {exc}", fix="export the OPML again from your reader"
        ) from None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ParseError(
            "this is not an OPML file (no <opml> root element)",
            fix="export the subscription list as OPML from your reader",
        )
    body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), None)
    found: dict[str, OpmlOutline] = {}
    if body is not None:
        _walk(body, [], found)
    return list(found.values())


def _outline(parent: etree._Element, source: Source) -> None:
    attrs = {"type": "rss" if source.kind == "feed" else str(source.kind)}
    attrs["text"] = source.name or source.url
    attrs["title"] = source.name or source.url
    attrs["xmlUrl"] = source.url
    if source.site_url:
        attrs["htmlUrl"] = source.site_url
    if source.lang:
        attrs["language"] = source.lang
    if source.category:
        attrs["category"] = "/" + source.category.strip("/")
    etree.SubElement(parent, "outline", attrs)


def write_opml(sources: list[Source], *, title: str = "actuel sources") -> bytes:
    """OPML 2.0 listing `sources`, one folder per category; parse_opml reads it back unchanged."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for source in sources:
        parent = body
        if source.category:
            name = source.category.strip("/")
            if name not in folders:
                folders[name] = etree.SubElement(body, "outline", text=name, title=name)
            parent = folders[name]
        _outline(parent, source)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
