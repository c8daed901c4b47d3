"""Extract stage: main text and metadata of pages, teasers, raw HTML storage."""

from actuel.extract.compress import compress_html, decompress_html
from actuel.extract.page import extract_page
from actuel.extract.report import page_report
from actuel.extract.teaser import looks_like_teaser

__all__ = [
    "compress_html",
    "decompress_html",
    "extract_page",
    "looks_like_teaser",
    "page_report",
]
