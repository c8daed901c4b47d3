"""`actuel demo --outlets-only --opml PATH`: the demo's outlets alone in a process of their own,
their sources as OPML, every request they answer one JSON line on standard output; what a test of
several ingesting processes reads (issue 14). Run as a real process, stopped by SIGTERM."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from actuel.cli import main
from actuel.parse.opml import parse_opml
from tests.support.outlets import demo_outlets, request_log


def test_outlets_only_write_their_opml_log_each_request_and_stop_on_sigterm(
    tmp_path: Path,
) -> None:
    with demo_outlets(tmp_path) as (opml, process):
        outlines = parse_opml(opml.read_bytes())
        assert len(outlines) == 8 and all(o.url.startswith("http://127.0.") for o in outlines)
        assert {o.kind for o in outlines} >= {"feed", "sitemap", "page"}

        db = tmp_path / "reader.db"
        env = {"ACTUEL_DB": str(db), "ACTUEL_FETCH_ALLOW_PRIVATE": "true"}
        env |= {"ACTUEL_FETCH_PER_HOST_DELAY": "0", "ACTUEL_STORIES": "false"}
        imported = CliRunner().invoke(main, ["sources", "import", str(opml)], env=env)
        assert imported.exit_code == 0, imported.output
        fetched = CliRunner().invoke(main, ["fetch", "-q"], env=env)
        assert fetched.exit_code == 0, fetched.output
        lines = request_log(process)
    assert lines and all(set(line) >= {"host", "path", "status"} for line in lines)
    assert all(line["host"].startswith("127.0.") for line in lines)
    pages = Counter((line["host"], line["path"]) for line in lines if line["status"] == 200)
    articles = [key for key in pages if key[1].endswith(".html") or "/news/" in key[1]]
    assert articles, "the fetch read article pages from the outlets"
    assert max(pages[key] for key in articles) == 1, "one pass asks each page once"


def test_opml_needs_outlets_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--opml", str(tmp_path / "x.opml")])
    assert result.exit_code != 0 and "--outlets-only" in result.output
