"""The store: the only code that speaks SQL (SQLite by default, PostgreSQL at scale)."""

from actuel.store.search import SearchFilters, SearchHit, SearchPage
from actuel.store.snippets import MARK_END, MARK_START, snippet_parts
from actuel.store.store import Store

__all__ = [
    "MARK_END",
    "MARK_START",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "Store",
    "snippet_parts",
]
