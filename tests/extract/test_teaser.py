"""Teasers (a first paragraph and "Lire la suite") are told from full texts."""

from __future__ import annotations

import pytest

from actuel.extract.teaser import looks_like_teaser


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil a voté le budget. Les travaux commenceront en…",
        "Premier paragraphe.\nLe deuxième est coupé au milieu...",
        "Le début de l'article.\nLire la suite sur Vallée Matin",
        "Le début.\nIl vous reste 80 % de cet article à lire.",
        "The council met on Monday.\nContinue reading on The Harbour Gazette",
        "The council met.\nSubscribe to read the full story.",
    ],
)
def test_teaser_is_recognised(text: str) -> None:
    assert looks_like_teaser(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil a voté le budget. Les travaux commenceront en juin.",
        "« Nous verrons… », a-t-il conclu.",
        "",
        "He said he would read more books this year.",
    ],
)
def test_full_text_is_not_a_teaser(text: str) -> None:
    assert not looks_like_teaser(text)
