"""What the story page says about a relation's evidence, the labels, and JSON-LD escaping."""

from __future__ import annotations

import json

from actuel.model import Article
from actuel.web.render import (
    category_name,
    evidence_lines,
    json_ld,
    language_name,
    page_href,
    relation_label,
)

EVIDENCE: dict[str, object] = {
    "passage_words": 263.0,
    "contain_max": 0.9877,
    "embedding_cosine": 0.8642,
    "shared_names": ["northbridge", "the", "ryder"],
    "shared_numbers": ["14", "60", "d12m11", "12%"],
    "time_gap_h": 5.5,
    "direction_by": "dates",
}


def test_evidence_reads_as_checkable_facts() -> None:
    lines = evidence_lines(EVIDENCE)
    assert "Plus long passage commun : 263 mots" in lines
    assert "Texte repris mot pour mot : 99\xa0%" in lines  # Babel's French percent
    assert "Proximité de sens : 86\xa0%" in lines
    assert "Noms en commun : northbridge, ryder" in lines
    assert "Chiffres en commun : 14, 60, 12%" in lines
    assert "Publié 5,5 h après sa source" in lines
    assert "Sens de la reprise établi par l'ordre de publication" in lines


def test_evidence_in_english_with_english_numbers() -> None:
    lines = evidence_lines(EVIDENCE, lang="en")
    assert "Longest shared passage: 263 words" in lines
    assert "Text taken word for word: 99%" in lines
    assert "Published 5.5 h after its source" in lines
    assert "Direction of the copy set by the order of publication" in lines


def test_odd_evidence_never_breaks_the_page() -> None:
    assert evidence_lines(None) == []
    assert evidence_lines({"passage_words": "many", "shared_names": "x", "time_gap_h": True}) == []
    assert evidence_lines({"time_gap_h": 0.2}) == ["Publié 12 min après sa source"]
    assert evidence_lines({"time_gap_h": 100.0}) == ["Publié 4 jours après sa source"]
    assert evidence_lines({"time_gap_h": 72.0}, lang="en") == ["Published 3 days after its source"]


def test_labels_in_both_languages() -> None:
    assert relation_label("translation") == "traduction de"
    assert relation_label("translation", lang="en") == "translation of"
    assert relation_label("excerpt") == "extrait de"
    assert relation_label("independent") == "reportage indépendant"
    assert relation_label("independent", lang="en") == "independent report"
    assert language_name("en") == "anglais"
    assert language_name("en", lang="en") == "English"
    assert language_name("de", lang="en") == "German"
    assert language_name("sw") == "swahili"  # from Babel's locale data, not a list of ours
    assert language_name("qq") == "qq"
    assert language_name(None) == "langue inconnue"
    assert language_name(None, lang="en") == "unknown language"
    assert category_name("economie") == "Économie"
    assert category_name("economie", lang="en") == "Economy"
    assert category_name("faits-divers") == "faits-divers"


def test_json_ld_cannot_end_its_script_block() -> None:
    data = {"headline": "Titre </script><script>alert(1)</script> & <!-- \u2028"}
    text = str(json_ld(data))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_links_to_an_outlet_drop_tracking_parameters_but_never_leave_its_site() -> None:
    fetched = "https://courrier.example/2026/11/21/aigles/?utm_source=rss&utm_medium=rss"
    tidy = Article(
        source_id=1,
        url=fetched,
        canonical_url="https://courrier.example/2026/11/21/aigles/",
        title="Aigles",
    )
    assert page_href(tidy) == "https://courrier.example/2026/11/21/aigles/"
    # a copier declaring the original as canonical: "Lire la suite" still goes to the copier
    copier = Article(
        source_id=2, url="https://copie.example/a/1", canonical_url=tidy.url, title="Copie"
    )
    assert page_href(copier) == "https://copie.example/a/1"
    hostile = Article(
        source_id=3, url="javascript:alert(1)", canonical_url="javascript:alert(2)", title="X"
    )
    assert page_href(hostile) is None
