"""Language detection on French, English and short texts, the declared language as a hint."""

from __future__ import annotations

import pytest

from actuel.enrich import detect_language, normalize_language

FRENCH = (
    "Le conseil municipal a adopté mardi soir le budget de l'année prochaine, après un débat de "
    "plus de trois heures sur la rénovation des écoles et le prix de la cantine."
)
ENGLISH = (
    "The city council approved next year's budget on Tuesday night after a three-hour debate over "
    "school repairs and the price of school meals."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FRENCH, "fr"),
        (ENGLISH, "en"),
        ("Der Stadtrat hat am Dienstagabend den Haushalt für das kommende Jahr beschlossen.", "de"),
        ("El ayuntamiento aprobó el martes por la noche el presupuesto del próximo año.", "es"),
        ("Il consiglio comunale ha approvato martedì sera il bilancio del prossimo anno.", "it"),
    ],
)
def test_paragraph_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Grève des contrôleurs : la SNCF annule un train sur deux", "fr"),
        ("La mairie ferme la piscine pour l'été", "fr"),
        ("Storm knocks out power to thousands of homes", "en"),
        ("Local bakery wins national award", "en"),
    ],
)
def test_title_alone(title: str, expected: str) -> None:
    assert detect_language("", title=title) == expected


@pytest.mark.parametrize("text", ["", "   ", "12 345 678", "OK", "— · —", "https://t.co/x"])
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_too_little_text_falls_back_to_the_declared_language() -> None:
    assert detect_language("Nantes", hint="fr-FR") == "fr"


def test_clear_text_outweighs_a_wrong_declaration() -> None:
    # templates often declare lang="en" over French articles
    assert detect_language(FRENCH, hint="en") == "fr"


def test_declared_language_settles_a_text_two_languages_share() -> None:
    assert detect_language("Festival de Cannes 2024") == "fr"
    assert detect_language("Festival de Cannes 2024", hint="es") == "es"


def test_long_text_outweighs_a_title_in_another_language() -> None:
    assert detect_language(ENGLISH * 500, title="Le budget adopté") == "en"


def test_short_article_is_decided_by_its_title() -> None:
    assert detect_language("Photos.", title="La mairie ferme la piscine pour l'été") == "fr"


@pytest.mark.parametrize(
    ("code", "expected"), [("fr-FR", "fr"), ("EN_us", "en"), ("de", "de"), ("", None), ("12", None)]
)
def test_normalize_language(code: str, expected: str | None) -> None:
    assert normalize_language(code) == expected


def test_dialects_are_reported_as_their_macrolanguage() -> None:
    # Cantonese (yue) reads as Chinese, the code a reader filters by
    assert detect_language("我哋今日去咗飲茶，跟住去海邊行吓，天氣好好。佢話聽日會落雨。") == "zh"
