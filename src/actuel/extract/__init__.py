"""Extract stage: main text and metadata of article pages, compressed raw HTML, quality metric."""

from actuel.extract.compress import compress_html, decompress_html
from actuel.extract.page import extract_page
from actuel.extract.report import page_report

__all__ = ["compress_html", "decompress_html", "extract_page", "page_report"]
