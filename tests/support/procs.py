"""The child processes of a process, read from /proc (workers of a server or of `actuel fetch`)."""

from __future__ import annotations

from pathlib import Path


def children(parent: int, *, command_has: bytes = b"") -> list[int]:
    """Live or zombie children of `parent` whose command line contains `command_has`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and command_has in command:
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
