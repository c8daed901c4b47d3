"""Template leftovers around the text: a site name glued to the title, a byline line."""

from __future__ import annotations

import pytest

from actuel.extract.cleanup import is_junk_line, strip_site_name


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Taux directeur : la BCK serre la vis | Kalaba Matin",
            "Taux directeur : la BCK serre la vis",
        ),
        ("Kalaba Matin - Taux directeur en hausse", "Taux directeur en hausse"),
        ("Grève – les dockers tiennent bon – Kalaba Matin", "Grève – les dockers tiennent bon"),
        ("Un titre - avec un tiret", "Un titre - avec un tiret"),
        ("Kalaba Matin", "Kalaba Matin"),
    ],
)
def test_site_name_is_stripped_from_titles(title: str, expected: str) -> None:
    assert strip_site_name(title, ["Kalaba Matin", None]) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Publié le 24/11/2026 à 11:50 par Rédaction Nouvelles Express 24",
        "Mis à jour le 24.11.2026 à 9h05",
        "Published on 24 November 2026 at 10:00 by Jane Roe",
    ],
)
def test_byline_lines_are_template(line: str) -> None:
    assert is_junk_line(line)


def test_sentences_that_start_like_a_byline_are_kept() -> None:
    assert not is_junk_line("Publié le rapport annuel, la ministre a réagi dès le lendemain.")


def test_a_flattened_navigation_bar_is_template_but_a_table_row_is_not() -> None:
    assert is_junk_line("| FRANCE-MONDE | ÉCONOMIE | SOCIÉTÉ | SPORT |")
    assert not is_junk_line("| Commune | Votants | Inscrits |")
    assert not is_junk_line("| 12 | 34 | 56 |")
