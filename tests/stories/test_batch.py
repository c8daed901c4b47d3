"""The batch tools end to end on files: JSON lines in, one answer per article or pair out."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from actuel.demo.build import load_world
from actuel.errors import StoriesInputError
from actuel.stories.batch import cluster_jsonl, relate_jsonl

STORY_IDS = ("s06", "s13")  # a story with a copy, an excerpt and a rewrite; a lone report


def _articles() -> list[dict[str, object]]:
    world = load_world()
    rows = sorted(
        (a for a in world.articles if a.story in STORY_IDS), key=lambda a: (a.published, a.id)
    )
    return [
        {
            "id": a.id,
            "title": a.title,
            "text": "\n\n".join(a.paragraphs),
            "url": f"https://{a.outlet.id}.example{a.path}",
            "published_at": a.published.isoformat(),
            "lang": a.lang,
            "source": a.outlet.name,
        }
        for a in rows
    ]


def _write(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _run_cluster(path: Path, out: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8") as fh:
        for row in cluster_jsonl(lines, label=str(path)):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_cluster_a_file_of_articles(tmp_path: Path) -> None:
    articles = _articles()
    rows = _run_cluster(_write(tmp_path / "in.jsonl", articles), tmp_path / "out.jsonl")

    assert [r["id"] for r in rows] == [a["id"] for a in articles]
    assert all(
        set(r) == {"id", "story_id", "relation", "derived_from", "confidence", "original"}
        for r in rows
    )
    by_id = {r["id"]: r for r in rows}
    s06 = {by_id[a["id"]]["story_id"] for a in articles if str(a["id"]).startswith("s06")}
    assert len(s06) == 1
    assert by_id["s13-echo"]["story_id"] not in s06
    assert by_id["s06-courrier"]["relation"] == "original"
    assert by_id["s06-kalaba-matin"] == by_id["s06-kalaba-matin"] | {
        "relation": "copy",
        "derived_from": "s06-courrier",
        "original": "s06-courrier",
    }
    assert by_id["s06-nouvelles-express"]["relation"] == "excerpt"
    # a copy of a rewrite: its original is the top of the chain
    assert by_id["s06-portail-citoyen"]["original"] == "s06-courrier"
    assert by_id["s13-echo"]["relation"] == "original"
    assert all(0.0 <= float(str(r["confidence"])) <= 1.0 for r in rows)


def test_cluster_takes_articles_with_only_an_id_and_odd_fields(tmp_path: Path) -> None:
    rows = [
        {"id": 1},
        {"id": "b", "title": "Sans date", "text": "Un texte court.", "published_at": "hier"},
        {"id": "c", "title": None, "text": None, "lang": "", "published_at": None},
        {"id": "b", "title": "Doublon", "text": "Ignoré : le premier article de l'id compte."},
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows[:2]) + "\n\n" + "\n".join(
        json.dumps(r) for r in rows[2:]) + "\n", "utf-8")  # fmt: skip
    out = _run_cluster(path, tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == ["1", "b", "c"]
    assert len({r["story_id"] for r in out}) == 3


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"title": "no id"}', "no usable id"),
        ('{"id": "x", "text": 12}', "text is int"),
        ('{"id": "x", "published_at": 1700000000}', "published_at is int"),
    ],
)
def test_a_bad_line_names_its_line_and_the_fix(tmp_path: Path, line: str, problem: str) -> None:
    good = json.dumps({"id": "ok", "title": "Bon", "text": "Une ligne correcte."})
    path = tmp_path / "bad.jsonl"
    path.write_text(f"{good}\n{line}\n", "utf-8")
    with (
        path.open(encoding="utf-8") as lines,
        pytest.raises(StoriesInputError) as caught,
    ):
        list(cluster_jsonl(lines, label=str(path)))
    message = str(caught.value)
    assert f"{path} line 2" in message
    assert problem in message
    assert caught.value.fix


def test_relate_a_file_of_pairs(tmp_path: Path) -> None:
    by_id = {str(a["id"]): a for a in _articles()}
    pairs: list[dict[str, object]] = [
        {"id": "copy", "a": by_id["s06-kalaba-matin"], "b": by_id["s06-courrier"]},
        {"id": "excerpt", "a": by_id["s06-courrier"], "b": by_id["s06-nouvelles-express"]},
        {"id": "unrelated", "a": by_id["s13-echo"], "b": by_id["s06-courrier"]},
        {"id": "empty", "a": {"id": "e1"}, "b": {"id": "e2", "text": ""}},
    ]
    path = _write(tmp_path / "pairs.jsonl", pairs)
    with path.open(encoding="utf-8") as lines:
        rows = {r["id"]: r for r in relate_jsonl(lines)}

    assert list(rows) == ["copy", "excerpt", "unrelated", "empty"]
    assert all(
        set(r) == {"id", "same_story", "relation", "direction", "confidence"}
        and 0.0 <= r["same_story"] <= 1.0
        for r in rows.values()
    )
    assert rows["copy"]["relation"] == "copy"
    assert rows["excerpt"] | {"relation": "excerpt", "direction": "b->a"} == rows["excerpt"]
    assert rows["unrelated"]["same_story"] < 0.5 and rows["unrelated"]["relation"] is None
    assert rows["empty"]["same_story"] == 0.0


def test_relate_refuses_a_line_that_is_not_a_pair(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"id": "p1", "a": {"id": "x"}}\n', "utf-8")
    with path.open(encoding="utf-8") as lines, pytest.raises(StoriesInputError, match="line 1"):
        list(relate_jsonl(lines, label=str(path)))


def test_cluster_names_the_credited_outlet_as_the_original(tmp_path: Path) -> None:
    text = (
        "La compagnie ferroviaire kalandaise a suspendu jeudi toutes les liaisons entre Port-Ambre "
        "et Dobéri après le déraillement d'un train de marchandises près de Kessa, sans faire de "
        "victime, a-t-on appris auprès de la direction (AFP). Quelque 3 200 voyageurs sont touchés "
        "chaque jour ; le trafic devrait reprendre le 4 décembre, selon la compagnie."
    )
    rows = [
        {"id": "first", "title": "Trains suspendus entre Port-Ambre et Dobéri", "text": text,
         "published_at": "2026-11-19T09:00:00+01:00", "source": "Kalaba Matin"},
        {"id": "second", "title": "Trains suspendus entre Port-Ambre et Dobéri", "text": text,
         "published_at": "2026-11-19T10:30:00+01:00", "source": "Le Portail Citoyen"},
    ]  # fmt: skip
    out = _run_cluster(_write(tmp_path / "afp.jsonl", rows), tmp_path / "out.jsonl")
    assert out[0]["story_id"] == out[1]["story_id"]
    assert out[1]["derived_from"] == "first"
    assert [r["original"] for r in out] == ["AFP", "AFP"]
