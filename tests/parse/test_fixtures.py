"""Every file in tests/fixtures/parse is a case: its header comment says what parsing it must give.

Header lines (in the first XML/HTML comment, or leading `//` lines of a JSON file):
  Description: what the case is about
  Call: parse_feed (default) | parse_opml | decode_document
  URL: the address the document was fetched from (optional)
  Header: Content-Type: ... (optional, as sent by the server)
  Expect: a Python expression that must be true (one or more lines)
Names in Expect: feed, items, error, outlines, text, elapsed (seconds), largest_text (longest
string in the result), everything (all strings of the result joined), datetime, UTC, NotAFeedError.
"""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from actuel.errors import ActuelError, NotAFeedError, ParseError
from actuel.parse import decode_document, parse_feed, parse_opml
from tests.conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "parse").iterdir() if p.is_file())
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


@dataclasses.dataclass
class Header:
    description: str = ""
    call: str = "parse_feed"
    url: str | None = None
    content_type: str | None = None
    expects: list[str] = dataclasses.field(default_factory=list)


def read_case(path: Path) -> tuple[Header, bytes]:
    raw = path.read_bytes()
    if path.suffix == ".json":
        lines = raw.decode("utf-8").splitlines(keepends=True)
        head = [line[2:] for line in lines if line.startswith("//")]
        body = "".join(line for line in lines if not line.startswith("//")).encode("utf-8")
        header_text = "".join(head)
    else:
        match = _COMMENT.search(decode_document(raw))
        assert match, f"{path.name}: no header comment"
        header_text, body = match.group(1), raw
    header = Header()
    for line in header_text.splitlines():
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key == "Description":
            header.description = value
        elif key == "Call":
            header.call = value
        elif key == "URL":
            header.url = value
        elif key == "Header" and value.lower().startswith("content-type:"):
            header.content_type = value.split(":", 1)[1].strip()
        elif key == "Expect":
            header.expects.append(value)
    assert header.expects, f"{path.name}: no Expect line"
    return header, body


def strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings_of(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_of(v)]
    return []


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture(path: Path) -> None:
    header, body = read_case(path)
    names: dict[str, Any] = {
        "datetime": datetime,
        "UTC": UTC,
        "NotAFeedError": NotAFeedError,
        "ParseError": ParseError,
        "feed": None,
        "items": None,
        "error": None,
        "outlines": None,
        "text": None,
    }
    started = time.perf_counter()
    result: Any
    try:
        if header.call == "parse_opml":
            result = names["outlines"] = parse_opml(body)
        elif header.call == "decode_document":
            result = names["text"] = decode_document(body, header.content_type)
        else:
            result = names["feed"] = parse_feed(
                body, url=header.url, content_type=header.content_type
            )
            names["items"] = result.items
    except ActuelError as exc:
        result = names["error"] = exc
    names["elapsed"] = time.perf_counter() - started
    strings = strings_of(result) if not isinstance(result, Exception) else [str(result)]
    names["largest_text"] = max((len(s) for s in strings), default=0)
    names["everything"] = "\n".join(strings)
    for expect in header.expects:
        assert eval(expect, names), (
            f"{path.name} ({header.description}): expected {expect}\ngot {result!r}"[:3000]
        )
