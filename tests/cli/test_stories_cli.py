"""`actuel cluster` and `actuel relate` on JSON-lines files, as researchers run them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from actuel.cli import main
from actuel.demo.build import load_world


def _demo_articles() -> list[dict[str, object]]:
    world = load_world()
    return [
        {
            "id": a.id,
            "title": a.title,
            "text": "\n\n".join(a.paragraphs),
            "published_at": a.published.isoformat(),
            "lang": a.lang,
            "source": a.outlet.name,
        }
        for a in world.articles
    ]


def test_cluster_writes_one_line_per_article_grouped_into_the_manifest_stories(
    tmp_path: Path,
) -> None:
    articles = _demo_articles()
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n")
    target = tmp_path / "out.jsonl"
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": str(tmp_path / "unused.db")}
    result = CliRunner().invoke(
        main, ["cluster", "--input", str(source), "--output", str(target)], env=env
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in rows] == [a["id"] for a in articles]
    assert set(rows[0]) == {"id", "story_id", "relation", "derived_from", "confidence", "original"}
    world = load_world()
    truth = {a.id: a.story for a in world.articles}
    # Stories do not mix, and articles of one manifest story mostly share one story id (the
    # headline-only items and follow-ups days later are the quality gate's business: tests/stories)
    hard = world.hard_to_place()
    members: dict[str, set[str]] = {}
    for row in rows:
        members.setdefault(row["story_id"], set()).add(truth[row["id"]])
    assert all(len(stories) == 1 for stories in members.values())
    by_story: dict[str, set[str]] = {}
    for row in rows:
        if row["id"] not in hard:
            by_story.setdefault(truth[row["id"]], set()).add(row["story_id"])
    assert sum(len(ids) for ids in by_story.values()) <= len(by_story) + 2


def test_relate_scores_pairs(tmp_path: Path) -> None:
    articles = {a["id"]: a for a in _demo_articles()}
    pairs = [
        {"id": "same", "a": articles["s08-kalaba"], "b": articles["s08-meridian"]},
        {"id": "other", "a": articles["s08-meridian"], "b": articles["s07-courrier"]},
    ]
    source = tmp_path / "pairs.jsonl"
    source.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pairs))
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": str(tmp_path / "unused.db")}
    result = CliRunner().invoke(main, ["relate", "--input", str(source)], env=env)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["same"]["same_story"] > rows["other"]["same_story"]
    assert rows["same"]["relation"] == "translation"
    assert rows["other"]["relation"] is None


def test_a_bad_line_is_named(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "a", "title": "t", "text": "x"}\nnot json\n')
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": str(tmp_path / "unused.db")}
    result = CliRunner().invoke(main, ["cluster", "--input", str(source)], env=env)
    assert result.exit_code == 1
    assert "line 2" in result.output


def test_a_missing_or_unreadable_input_is_named_without_a_traceback(tmp_path: Path) -> None:
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": str(tmp_path / "unused.db")}
    for command, given in (("cluster", tmp_path / "absent.jsonl"), ("relate", tmp_path)):
        result = CliRunner().invoke(main, [command, "--input", str(given)], env=env)
        assert result.exit_code == 2, result.output
        assert str(given) in result.output
        assert "Traceback" not in result.output


def test_a_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    source = tmp_path / "latin1.jsonl"
    source.write_bytes(
        b'{"id": "a", "title": "t", "text": "x"}\n{"id": "b", "title": "caf\xe9", "text": "y"}\n'
    )
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": str(tmp_path / "unused.db")}
    result = CliRunner().invoke(main, ["cluster", "--input", str(source)], env=env)
    assert result.exit_code == 1
    assert "line 2" in result.output and "UTF-8" in result.output
    assert not isinstance(result.exception, UnicodeDecodeError)
