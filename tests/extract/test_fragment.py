"""Feed summaries and contents turned into plain text: words at block edges stay apart."""

from __future__ import annotations

import pytest

from actuel.extract.fragment import html_to_text


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>Le budget</p><p>est voté</p>", "Le budget\n\nest voté"),
        ("premier mot<br>second mot", "premier mot\n\nsecond mot"),
        ("<h2>Titre</h2>Le texte", "Titre\n\nLe texte"),
        ("<ul><li>un</li><li>deux</li></ul>", "un\n\ndeux"),
        ("Avant<hr>après", "Avant\n\naprès"),
        ("<dl><dt>Lieu</dt><dd>Lyon</dd></dl>", "Lieu\n\nLyon"),
        ("<header>Rubrique</header><main>Texte</main>", "Rubrique\n\nTexte"),
        ("<footer>Fin</footer>la suite", "Fin\n\nla suite"),
        ("<aside>Encadré</aside>Suite", "Encadré\n\nSuite"),
        ("<nav>Menu</nav><address>Paris</address>", "Menu\n\nParis"),
        ("<details><summary>Résumé</summary>Détail</details>", "Résumé\n\nDétail"),
        ("<center>Centré</center>ensuite", "Centré\n\nensuite"),
        (
            "<table><tr><th>Ville</th><th>Votes</th></tr><tr><td>Lyon</td><td>12</td></tr></table>",
            "Ville Votes\n\nLyon 12",
        ),
    ],
)
def test_blocks_keep_their_words_apart(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("l'<em>État</em> décide", "l'État décide"),
        ('le <a href="/x">maire</a>, élu', "le maire, élu"),
        ("pré<strong>fecture</strong>", "préfecture"),
        ("<span>aujour</span><span>d'hui</span>", "aujourd'hui"),
        ("anti<wbr>constitutionnel", "anticonstitutionnel"),
        ("H<sub>2</sub>O et m<sup>2</sup>", "H2O et m2"),
        ('un <img src="a.png" alt="photo">mot', "un mot"),
    ],
)
def test_inline_elements_add_no_space(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def test_scripts_go_and_the_text_around_them_stays() -> None:
    fragment = "<p>Avant<script>alert(1)</script> après</p><style>p{}</style><p>Fin</p>"
    assert html_to_text(fragment) == "Avant après\n\nFin"
