"""URL path convertors of the site and the API: ids and page numbers the database can hold.

Starlette's `int` takes any run of digits, and SQLite raises OverflowError past 2**63 - 1: a URL
like /outlets/99999999999999999999 was a server error. An `id` has at most 18 digits and a `page`
at most 9 (a page times its size stays far below the limit); longer numbers match no route: 404.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    """An id: 1 to 18 digits."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


class PageConvertor(IdConvertor):
    """A page number: 1 to 9 digits."""

    regex = "[0-9]{1,9}"


def register() -> None:
    """Make `{name:id}` and `{name:page}` known to Starlette's routing (idempotent)."""
    register_url_convertor("id", IdConvertor())
    register_url_convertor("page", PageConvertor())
