"""What the story page says about a relation's evidence, and the relation labels."""

from __future__ import annotations

from actuel.web.render import evidence_lines, language_name, relation_label


def test_evidence_reads_as_checkable_facts() -> None:
    lines = evidence_lines(
        {
            "passage_words": 263.0,
            "contain_max": 0.9877,
            "embedding_cosine": 0.8642,
            "shared_names": ["northbridge", "the", "ryder"],
            "shared_numbers": ["14", "60", "d12m11", "12%"],
            "time_gap_h": 5.5,
            "direction_by": "dates",
        }
    )
    assert "Plus long passage commun : 263 mots" in lines
    assert "Texte repris mot pour mot : 99 %" in lines
    assert "Proximité de sens : 86 %" in lines
    assert "Noms en commun : northbridge, ryder" in lines
    assert "Chiffres en commun : 14, 60, 12%" in lines
    assert "Publié 5,5 h après sa source" in lines
    assert "Sens de la reprise établi par l'ordre de publication" in lines


def test_odd_evidence_never_breaks_the_page() -> None:
    assert evidence_lines(None) == []
    assert evidence_lines({"passage_words": "many", "shared_names": "x", "time_gap_h": True}) == []
    assert evidence_lines({"time_gap_h": 0.2}) == ["Publié 12 min après sa source"]
    assert evidence_lines({"time_gap_h": 100.0}) == ["Publié 4 jours après sa source"]


def test_labels() -> None:
    assert relation_label("translation") == "traduction de"
    assert relation_label("excerpt") == "extrait de"
    assert relation_label("independent") == "reportage indépendant"
    assert language_name("en") == "anglais"
    assert language_name("sw") == "sw"
    assert language_name(None) == "langue inconnue"
