"""Raw HTML survives storage compressed; the `actuel extract` report is plain JSON."""

from __future__ import annotations

import json
import os
import zlib
from datetime import UTC, datetime

import pytest

from actuel.errors import ExtractError
from actuel.extract import compress_html, decompress_html, extract_page, page_report
from actuel.model import ExtractedPage
from tests.conftest import FIXTURES


def test_raw_html_round_trips_and_shrinks() -> None:
    raw = (FIXTURES / "extract" / "fr-regional-template.html").read_bytes()
    blob = compress_html(raw)
    assert len(blob) < len(raw) * 0.6
    assert decompress_html(blob) == raw


def test_empty_page_round_trips() -> None:
    assert decompress_html(compress_html(b"")) == b""


def test_blob_is_a_plain_zlib_stream_any_tool_can_read() -> None:
    assert zlib.decompress(compress_html(b"<p>texte</p>")) == b"<p>texte</p>"
    assert decompress_html(zlib.compress(b"<p>autre outil</p>", 9)) == b"<p>autre outil</p>"


@pytest.mark.parametrize("blob", [b"not compressed at all", b""])
def test_damaged_blob_says_what_to_do(blob: bytes) -> None:
    with pytest.raises(ExtractError, match="re-fetch the page"):
        decompress_html(blob)


def test_truncated_blob_is_refused() -> None:
    blob = compress_html(os.urandom(5000).hex().encode())
    with pytest.raises(ExtractError, match="re-fetch the page"):
        decompress_html(blob[: len(blob) // 2])


def test_decompression_can_be_capped() -> None:
    assert len(decompress_html(compress_html(b"a" * 10_000_000), max_bytes=1000)) == 1000


def test_report_is_json_with_iso_date() -> None:
    path = FIXTURES / "extract" / "fr-regional-template.html"
    page = extract_page(path.read_bytes(), url="https://www.exemple-regional.fr/x")
    report = page_report(str(path), page)
    decoded = json.loads(json.dumps(report, ensure_ascii=False))
    assert decoded["path"] == str(path)
    assert decoded["published_at"] == "2024-03-14T08:30:00+00:00"
    assert decoded["title"] == "Nantes : la passerelle sur la Loire rouvrira au printemps"
    assert "quai de la Fosse" in decoded["text"]
    assert set(decoded) == {
        "path",
        "title",
        "text",
        "author",
        "published_at",
        "language",
        "image",
        "canonical_url",
        "description",
        "site_name",
    }


def test_report_of_an_empty_page_has_nulls() -> None:
    report = page_report("-", ExtractedPage())
    assert report["published_at"] is None and report["title"] is None and report["text"] == ""
    assert (
        page_report("-", ExtractedPage(published_at=datetime(2024, 1, 2, tzinfo=UTC)))[
            "published_at"
        ]
        == "2024-01-02T00:00:00+00:00"
    )
