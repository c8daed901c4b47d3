"""Parse stage: feeds, sitemaps, OPML, dates, encodings and URLs from bytes to plain data."""

from actuel.parse.dates import normalize_date
from actuel.parse.detect import detect_format
from actuel.parse.document import parse_feed
from actuel.parse.encoding import decode_document, sniff_encoding
from actuel.parse.opml import OpmlOutline, parse_opml, write_opml

__all__ = [
    "OpmlOutline",
    "decode_document",
    "detect_format",
    "normalize_date",
    "parse_feed",
    "parse_opml",
    "sniff_encoding",
    "write_opml",
]
