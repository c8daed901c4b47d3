"""Template lines are dropped, article sentences that merely look alike are kept."""

from __future__ import annotations

import lxml.html
import pytest

from actuel.extract.cleanup import (
    drop_leading_title,
    is_junk_line,
    prune_template_blocks,
    remove_junk_lines,
)


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
        "Suivez-nous !",
        "Dernières nouvelles",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Ce contenu a été publié dans Actualités. Vous pouvez le mettre en favoris.",
        "You may also like...",
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


def _kept_after_pruning(html: str) -> str:
    tree = lxml.html.document_fromstring(html)
    prune_template_blocks(tree)
    text: str = tree.text_content()
    return text


@pytest.mark.parametrize(
    "block",
    [
        '<div class="bloc lire-aussi">Lire aussi</div>',
        '<aside id="a-lire">À lire</aside>',
        '<ul class="social-share-bar">Partager</ul>',
        '<div class="entry-partage">Partager</div>',
        '<div id="respond" class="comment-respond">Laisser un commentaire</div>',
        '<div class="cookie-banner">Cookies</div>',
    ],
)
def test_template_block_is_pruned(block: str) -> None:
    kept = _kept_after_pruning(f"<html><body><article><p>Texte.</p>{block}</article></body></html>")
    assert kept == "Texte."


@pytest.mark.parametrize(
    "block",
    [
        '<div class="salire">Texte du bloc.</div>',
        '<div class="sharedworkspace">Texte du bloc.</div>',
        '<section class="commentaires-du-maire">Texte du bloc.</section>',
    ],
)
def test_article_block_with_a_lookalike_class_is_kept(block: str) -> None:
    assert "Texte du bloc." in _kept_after_pruning(f"<html><body>{block}</body></html>")
