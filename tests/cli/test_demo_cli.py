"""`actuel demo` beside another one: the outlets take the next free port, stable per database."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from click.testing import CliRunner

from actuel.cli import main
from actuel.cli.demo import outlets_port
from actuel.config import load_settings
from actuel.demo.server import DemoWorld
from actuel.store import Store


def test_a_second_demo_runs_beside_the_first_on_its_own_port(tmp_path: Path) -> None:
    settings = load_settings(environ={}, db=str(tmp_path / "first.db"))
    with Store.open(settings.db, settings) as empty:
        taken = outlets_port(empty)
    with DemoWorld(port=taken, flaky=False):  # the first demo's outlets hold their port
        env = {"ACTUEL_DB": str(tmp_path / "second.db"), "ACTUEL_STORIES_ENCODER": "none"}
        result = CliRunner().invoke(main, ["demo", "--no-serve"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    second = load_settings(environ=env)
    with Store.open(second.db, second) as store:
        ports = {urlsplit(s.url).port for s in store.list_sources()}
        assert len(ports) == 1 and taken not in ports, ports
        assert store.count_articles() > 0
        assert outlets_port(store) in ports  # the next demo of this database keeps its URLs
