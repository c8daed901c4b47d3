"""`actuel sources pause|resume` and `actuel db check|backup|prune` on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from actuel.cli import main
from tests.cli.test_cli import env, run, serve_site  # noqa: F401 - env is a fixture
from tests.support.loopback import Loopback


def test_a_paused_source_is_not_polled_until_resumed(
    loopback: Loopback,
    env: dict[str, str],  # noqa: F811
) -> None:
    serve_site(loopback)
    run(env, "sources", "add", loopback.url("/feed.xml"))
    [source] = json.loads(run(env, "sources", "list", "--json"))
    assert "paused source" in run(env, "sources", "pause", str(source["id"]))
    hits_when_added = len(loopback.hits_to("/feed.xml"))  # `add` reads the feed once
    run(env, "fetch", "--quiet")
    assert json.loads(run(env, "stats", "--json"))["articles"]["total"] == 0
    assert len(loopback.hits_to("/feed.xml")) == hits_when_added
    [paused] = json.loads(run(env, "sources", "list", "--json"))
    assert paused["state"] == "paused"

    run(env, "sources", "resume", source["url"])
    run(env, "fetch", "--quiet")
    assert json.loads(run(env, "stats", "--json"))["articles"]["total"] == 1
    [resumed] = json.loads(run(env, "sources", "list", "--json"))
    assert resumed["state"] == "active"


def test_backup_is_a_consistent_copy_that_opens_with_the_articles(
    loopback: Loopback,
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    serve_site(loopback)
    run(env, "sources", "add", loopback.url("/feed.xml"))
    run(env, "fetch", "--quiet")
    assert "integrity ok" in run(env, "db", "check")
    copy = tmp_path / "backup.db"
    run(env, "db", "backup", str(copy))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    restored = dict(env, ACTUEL_DB=str(copy))
    assert json.loads(run(restored, "stats", "--json"))["articles"]["total"] == 1


def test_prune_keeps_recent_fetch_log_and_backup_names_a_missing_folder(
    loopback: Loopback,
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    serve_site(loopback)
    run(env, "sources", "add", loopback.url("/feed.xml"))
    run(env, "fetch", "--quiet")
    assert "removed 0 fetch log rows" in run(env, "db", "prune")
    assert "removed 0 fetch log rows" not in run(env, "db", "prune", "--days", "0")
    result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "nowhere" / "b.db")], env=env)
    assert result.exit_code != 0
    assert "does not exist" in result.output and "create the folder" in result.output
