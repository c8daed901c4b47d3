"""The console script starts light: spawned extraction workers import it again."""

from __future__ import annotations

import subprocess
import sys


def test_console_entry_imports_nothing_heavy() -> None:
    heavy = ("click", "actuel.cli", "actuel.pipeline", "actuel.store", "trafilatura")
    code = f"import sys, actuel.console\nprint(','.join(m for m in {heavy!r} if m in sys.modules))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "", f"importing the console script loaded {found}"


def test_console_entry_runs_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from actuel.console import main; main()", "--version"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "actuel" in out.stdout
