"""Plain text to pieces: only http(s) addresses become links; nothing is HTML."""

from __future__ import annotations

import pytest

from actuel.comments.links import Piece, count_links, paragraphs, pieces


def test_an_address_in_a_sentence_becomes_a_link_without_its_full_stop() -> None:
    assert pieces("Voir https://mairie.example/plan-velo. Merci") == [
        Piece("Voir "),
        Piece("https://mairie.example/plan-velo", href="https://mairie.example/plan-velo"),
        Piece(". Merci"),
    ]


def test_bracketed_addresses_keep_their_own_closing_bracket_only() -> None:
    assert pieces("(source : https://w.example/a_(b))")[1].href == "https://w.example/a_(b)"
    assert pieces("(source : https://w.example/a)")[1].href == "https://w.example/a"


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://fichiers.example/x",
        '<a href="https://x.example">x</a>',
    ],
)
def test_nothing_but_http_is_linked_and_markup_stays_text(text: str) -> None:
    links = [p for p in pieces(text) if p.href]
    assert all(p.href and p.href.startswith(("http://", "https://")) for p in links)
    assert all('"' not in (p.href or "") and "<" not in (p.href or "") for p in links)
    assert "".join(p.text for p in pieces(text)) == text  # nothing lost, nothing added


def test_paragraphs_and_lines_are_kept() -> None:
    assert len(paragraphs("Un.\nDeux.\n\n\nTrois.")) == 2
    assert len(paragraphs("Un.\nDeux.")[0]) == 2


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Rien à signaler.", 0),
        ("Voir https://a.example/x", 1),
        ("https://a.example et http://b.example", 2),
        ("www.pilules.example et https://b.example", 2),
        ("achetez sur pas-cher.com et https://b.example", 2),
    ],
)
def test_links_are_counted_linked_or_not(text: str, count: int) -> None:
    assert count_links(text) == count
