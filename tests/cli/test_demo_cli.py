"""`actuel demo` beside another one: the outlets take the next free port, stable per database;
and the first admin it creates."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from click.testing import CliRunner

from actuel.accounts.passwords import verify
from actuel.cli import main
from actuel.cli.demo import create_first_admin, outlets_port
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
        ports = {urlsplit(s.url).port for s in store.sources.all()}
        assert len(ports) == 1 and taken not in ports, ports
        assert store.articles.count() > 0
        assert outlets_port(store) in ports  # the next demo of this database keeps its URLs

    # the quick start's first admin: its one-time password printed once, only its hash kept
    printed = re.search(
        r"as admin with the one-time password (\S+) ", " ".join(result.output.split())
    )
    assert printed is not None, result.output
    with Store.open(second.db, second) as store:
        admin = store.users.get_admin("admin")
        assert admin is not None and admin.must_change_password
        assert printed.group(1) not in admin.password_hash
        assert verify(admin.password_hash, printed.group(1))
        assert create_first_admin(store) is None  # the next demo of this database makes none
