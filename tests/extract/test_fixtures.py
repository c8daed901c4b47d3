"""Fixture pages we wrote: each file's header comment states what extraction must give."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from actuel.extract import extract_page, looks_like_teaser
from actuel.stories.credits import extract_credits
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "extract").glob("*.html"))
_HEADER = re.compile(rb"\A\s*<!--(.*?)-->", re.DOTALL)


def expectations(path: Path) -> list[tuple[str, str]]:
    """(key, value) pairs from the file's header comment, decoded with its fixture-encoding."""
    raw = path.read_bytes()
    match = _HEADER.match(raw)
    assert match, f"{path.name} has no header comment"
    encoding = "utf-8"
    found = re.search(rb"fixture-encoding:\s*(\S+)", match.group(1))
    if found:
        encoding = found.group(1).decode("ascii")
    pairs = []
    for line in match.group(1).decode(encoding).splitlines():
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[a-z-]+", key.strip()):
            pairs.append((key.strip(), value.strip()))
    return pairs


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_page_matches_its_header(path: Path) -> None:
    expected = expectations(path)
    url = dict(expected).get("url")
    page = extract_page(path.read_bytes(), url=url, content_type="text/html")
    checks = 0
    for key, value in expected:
        if key == "expect-contains":
            assert value in page.text, f"{path.name}: text lacks {value!r}"
        elif key == "expect-not-contains":
            assert value not in page.text, f"{path.name}: text keeps {value!r}"
        elif key == "expect-title":
            assert page.title == value
        elif key == "expect-author":
            assert page.author == value
        elif key == "expect-date":
            assert page.published_at == datetime.fromisoformat(value)
            assert page.published_at is not None and page.published_at.tzinfo == UTC
        elif key == "expect-canonical":
            assert page.canonical_url == value
        elif key == "expect-image":
            assert page.image == value
        elif key == "expect-language":
            assert page.language == value
        elif key == "expect-site-name":
            assert page.site_name == value
        elif key == "expect-read-more":
            assert page.read_more_url == value
        elif key == "expect-teaser":
            assert looks_like_teaser(page.text) == (value == "yes")
        elif key == "expect-credit":
            assert value in [c.outlet for c in extract_credits(page.text, known_outlets=[value])]
        else:
            continue
        checks += 1
    assert checks >= 5, f"{path.name}: header states too few expectations"


def test_text_keeps_paragraphs_apart() -> None:
    page = extract_page((FIXTURES / "extract" / "en-news-template.html").read_bytes())
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) >= 4
    assert all(p.strip() == p and p for p in paragraphs)
    assert paragraphs[0].startswith("The Riverside public library reopened")
