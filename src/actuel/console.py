"""The `actuel` console script: the command line is imported only when the script runs.

Extraction workers are spawned processes, and a spawned process first imports its parent's main
script again (as `__mp_main__`). Were the script to import the command line at the top, each worker
of `actuel fetch` would load all of it (click, the store, the web stage: 1.5 s of CPU) for nothing.
"""

from __future__ import annotations


def main() -> None:
    """Run the `actuel` command line."""
    from actuel.cli import main as command_line

    command_line()
