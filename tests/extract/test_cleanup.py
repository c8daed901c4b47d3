"""Template lines are dropped, article sentences that merely look alike are kept."""

from __future__ import annotations

import pytest

from actuel.extract.cleanup import drop_leading_title, is_junk_line, remove_junk_lines


@pytest.mark.parametrize(
    "line",
    [
        "fbpx",
        "Partager sur Facebook",
        "Partager :",
        "Laisser un commentaire",
        "12 commentaires",
        "Lire aussi : La piscine municipale ferme pour travaux",
        "» À lire aussi - Le pont rouvre en avril",
        "LIRE AUSSI. Les travaux du tramway",
        "Sur le même sujet",
        "Nous utilisons des cookies pour mesurer l'audience. Accepter",
        "Vous avez aimé cet article ? Partagez-le !",
        "Share on Twitter",
        "Leave a Reply",
        "Read also",
        "Advertisement",
        "We use cookies to improve your experience.",
    ],
)
def test_template_line_is_junk(line: str) -> None:
    assert is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Partager la route avec les cyclistes reste un défi pour les chauffeurs de bus.",
        "Les commentaires du maire ont surpris l'opposition.",
        "Lire aussi entre les lignes : c'est ce que demande le juge aux enquêteurs. " * 5,
        "Publicité mensongère : l'entreprise condamnée à 20 000 euros d'amende.",
        "Share prices fell sharply on Monday.",
        "",
    ],
)
def test_article_sentence_is_kept(line: str) -> None:
    assert not is_junk_line(line)


def test_removing_lines_keeps_paragraphs_in_order() -> None:
    text = "Premier paragraphe.\nPartager sur X\nDeuxième paragraphe.\nfbpx"
    assert remove_junk_lines(text) == "Premier paragraphe.\nDeuxième paragraphe."


def test_repeated_title_line_is_dropped_once() -> None:
    text = "La fête du village\nLa fête du village a lieu samedi.\nLa fête du village"
    assert drop_leading_title(text, "La  fête du village") == (
        "La fête du village a lieu samedi.\nLa fête du village"
    )
    assert drop_leading_title("Autre début\nsuite", "La fête du village") == "Autre début\nsuite"
