"""JSON Feed 1.0 and 1.1 to a Feed.

Hand-written because feedparser does not read JSON Feed and the format is plain JSON with a short
specification (jsonfeed.org/version/1.1); mapping it ourselves keeps authors, attachments and
languages that a generic adapter drops.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from actuel.model import Enclosure, Feed, FeedItem
from actuel.parse.dates import normalize_date
from actuel.parse.people import person_name
from actuel.urls import absolute_url


def _str(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _author(obj: Mapping[str, Any]) -> str | None:
    authors = obj.get("authors")
    candidates = list(authors) if isinstance(authors, list) else []
    if isinstance(obj.get("author"), Mapping):
        candidates.append(obj["author"])
    for person in candidates:
        if isinstance(person, Mapping):
            name = person_name(_str(person.get("name")))
            if name:
                return name
    return None


def _enclosures(item: Mapping[str, Any], base: str | None) -> list[Enclosure]:
    found = []
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else ():
        if not isinstance(attachment, Mapping):
            continue
        url = absolute_url(_str(attachment.get("url")), base)
        if url is None:
            continue
        size = attachment.get("size_in_bytes")
        found.append(
            Enclosure(
                url=url,
                type=_str(attachment.get("mime_type")),
                length=size if isinstance(size, int) and not isinstance(size, bool) else None,
            )
        )
    return found


def _item(item: Mapping[str, Any], base: str | None, now: datetime) -> FeedItem:
    link = absolute_url(_str(item.get("url")) or _str(item.get("external_url")), base)
    tags = item.get("tags")
    enclosures = _enclosures(item, base)
    return FeedItem(
        link=link,
        title=_str(item.get("title")),
        guid=_str(item.get("id")),
        published_at=normalize_date(_str(item.get("date_published")), now=now),
        updated_at=normalize_date(_str(item.get("date_modified")), now=now),
        author=_author(item),
        summary=_str(item.get("summary")),
        content=_str(item.get("content_html")) or _str(item.get("content_text")),
        enclosures=enclosures,
        language=_str(item.get("language")),
        image=absolute_url(_str(item.get("image")) or _str(item.get("banner_image")), base),
        keywords=[t for t in (_str(tag) for tag in tags) if t] if isinstance(tags, list) else [],
    )


def parse_json_feed(
    document: Mapping[str, Any], *, url: str | None = None, max_items: int = 1000
) -> Feed:
    """A Feed from a decoded JSON Feed object."""
    now = datetime.now(UTC)
    home = _str(document.get("home_page_url"))
    base = url or home
    language = _str(document.get("language"))
    raw_items = document.get("items")
    items = [i for i in raw_items if isinstance(i, Mapping)] if isinstance(raw_items, list) else []
    feed = Feed(
        format="json",
        title=_str(document.get("title")),
        link=absolute_url(home, url),
        language=language,
        description=_str(document.get("description")),
        parser="json",
    )
    feed.items = [_item(item, base, now) for item in items[:max_items]]
    if len(items) > max_items:
        feed.notes.append(f"{len(items):,} items, kept the first {max_items:,}")
    return feed
