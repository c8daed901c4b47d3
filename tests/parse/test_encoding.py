"""Bytes to text: the right Unicode for every encoding case, and a decoder that never raises."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.errors import NotAFeedError
from actuel.parse import decode_document, parse_feed, sniff_encoding
from tests.conftest import shared_corpus

MINIFLUX_EXPECTED = {
    # file: strings the decoded document must contain
    "encoding/testdata/iso-8859-1.xml": ["Café", "Présentation"],
    "encoding/testdata/utf8.xml": ["테스트 피드", "Café"],
    "encoding/testdata/utf8-incorrect-prolog.xml": ["테스트 피드", "Café"],
    "encoding/testdata/invalid-prolog.xml": ["테스트 피드", "Café"],
    "encoding/testdata/windows-1252.xml": ["Euro €"],
    "encoding/testdata/windows-1252-incorrect-prolog.xml": ["Euro €"],
    "encoding/testdata/koi8r.xml": ["Пример RSS ленты", "Первая новость"],
    "encoding/testdata/iso-8859-1.html": ["Frédéric"],
    "encoding/testdata/iso-8859-1-meta-after-1024.html": ["Frédéric"],
    "encoding/testdata/utf8.html": ["Café"],
    "encoding/testdata/utf8-meta-after-1024.html": ["Frédéric"],
    "xml/testdata/iso88591.xml": ["Anaïs", "Jürgen"],
    "xml/testdata/iso88591_utf8_mismatch.xml": ["Anaïs", "Jürgen"],
    "xml/testdata/koi8r.xml": ["Пример RSS ленты"],
    "parser/testdata/encoding_ISO-8859-1.xml": ["Golem.de"],
    "parser/testdata/encoding_WINDOWS-1251.xml": ["Цитата"],
    "parser/testdata/no_encoding_ISO-8859-1.xml": ["études", "très"],
    "parser/testdata/urdu_UTF8.xml": ["اردو"],
    "parser/testdata/rdf_UTF8.xml": ["Vorsichtsmaßnahmen"],
}
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Ð[\u0080-\u00bf]|\ufffd")


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(MINIFLUX_EXPECTED))
def test_miniflux_encodings_decode_to_the_right_text(name: str) -> None:
    content = (shared_corpus("miniflux-feed-testdata") / name).read_bytes()
    text = decode_document(content)
    for expected in MINIFLUX_EXPECTED[name]:
        assert expected in text
    assert not _MOJIBAKE.search(text), _MOJIBAKE.search(text)


@pytest.mark.shared
def test_every_miniflux_feed_parses_with_its_text_intact() -> None:
    root = shared_corpus("miniflux-feed-testdata")
    for path in sorted(root.rglob("*.xml")):
        try:
            feed = parse_feed(path.read_bytes())
        except NotAFeedError:
            assert path.parent.parent.name == "xml", path  # the <note> documents, not feeds
            continue
        words = [feed.title or ""] + [f"{i.title} {i.summary}" for i in feed.items]
        assert feed.title, path
        assert not _MOJIBAKE.search(" ".join(words)), (path, _MOJIBAKE.search(" ".join(words)))


def test_bom_beats_header_and_prolog() -> None:
    content = '<?xml version="1.0" encoding="iso-8859-1"?><p>Noël</p>'.encode("utf-8-sig")
    assert sniff_encoding(content, "text/xml; charset=koi8-r").origin == "bom"
    assert "Noël" in decode_document(content, "text/xml; charset=koi8-r")


def test_header_charset_beats_meta() -> None:
    content = '<html><head><meta charset="utf-8"></head><p>Noël</p>'.encode("cp1252")
    assert "Noël" in decode_document(content, "text/html; charset=windows-1252")


def test_latin1_label_reads_windows_1252_punctuation() -> None:
    content = "L’été « à 5 € »".encode("cp1252")
    assert decode_document(content, "text/html; charset=ISO-8859-1") == "L’été « à 5 € »"


def test_invalid_utf8_never_raises_and_keeps_valid_text() -> None:
    content = b"Caf\xc3\xa9 \xff\xfe bien"
    text = decode_document(content, "text/html; charset=utf-8")
    assert text.startswith("Caf") and text.endswith(" bien")


def test_unknown_charset_label_falls_back_to_detection() -> None:
    content = "Crème brûlée à Montélimar".encode()
    assert decode_document(content, "text/html; charset=x-no-such-charset") == content.decode()


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=4096),
    st.one_of(
        st.none(),
        st.sampled_from(
            ["text/html", "text/xml; charset=utf-8", "text/html; charset=latin-1", "a; charset=x"]
        ),
        st.text(max_size=40),
    ),
)
def test_decode_document_never_raises(content: bytes, content_type: str | None) -> None:
    assert isinstance(decode_document(content, content_type), str)


_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
_PLAIN_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=_SURROGATES,
        blacklist_characters=["\x00", *map(chr, range(0x80, 0xA0))],
    ),
    max_size=2000,
)


@settings(max_examples=200, deadline=None)
@given(_PLAIN_TEXT)
def test_utf8_text_round_trips(text: str) -> None:
    assert decode_document(text.encode("utf-8")) == text.removeprefix("\ufeff")


def test_windows_1252_numeric_references_become_the_punctuation_they_mean() -> None:
    content = (
        b"<rss version='2.0'><channel><title>L&#146;&#233;t&#233; &#150; 5&#128;</title>"
        b"<item><title>x</title><link>https://ex.fr/1</link></item></channel></rss>"
    )
    assert parse_feed(content).title == "L’été – 5€"


def test_utf8_cut_in_the_middle_of_a_character_stays_utf8() -> None:
    # A body truncated at the size cap may end with half of "é": still UTF-8, accents intact.
    text = "<html><body>" + "Le président a déclaré que la réunion était évoquée. " * 30 + "é"
    content = text.encode("utf-8")[:-1]
    assert sniff_encoding(content).encoding == "utf-8"
    assert "Le président a déclaré que la réunion était évoquée." in decode_document(content)
