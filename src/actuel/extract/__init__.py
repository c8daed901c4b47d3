"""Extract stage: main text and metadata of pages, credit lines, teasers, raw HTML storage."""

from actuel.extract.compress import compress_html, decompress_html
from actuel.extract.credits import Credit, find_credits
from actuel.extract.page import extract_page
from actuel.extract.report import page_report
from actuel.extract.teaser import looks_like_teaser

__all__ = [
    "Credit",
    "compress_html",
    "decompress_html",
    "extract_page",
    "find_credits",
    "looks_like_teaser",
    "page_report",
]
