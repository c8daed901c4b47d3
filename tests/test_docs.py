"""The README documents every setting and every command: regenerate with scripts/gen_docs.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from actuel.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _gen_docs().render(readme) == readme, "run: python scripts/gen_docs.py"


def test_every_setting_has_help_and_appears_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.help.strip(), setting.name
        assert f"`{setting.env_name}`" in readme, setting.name


def test_readme_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "actuel demo" in readme
    assert "./scripts/test" in readme
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("./scripts/test")
