"""Regenerate the settings table and CLI reference in README.md (between marker comments)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from actuel.cli import main
from actuel.config import SETTINGS, Setting

README = Path(__file__).resolve().parent.parent / "README.md"


def _default(setting: Setting) -> str:
    if setting.secret:
        return "(secret)"
    return f"`{setting.default}`"


def settings_table() -> str:
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.name}` | `{s.env_name}` | {_default(s)} | {s.help} |")
    return "\n".join(rows)


def _walk(
    command: click.Command, path: list[str], parent: click.Context | None
) -> list[tuple[list[str], click.Context]]:
    # Each context has its parent, so settings such as help_option_names reach subcommands
    # the same way they do when the command line runs.
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        **{"terminal_width": 100, "max_content_width": 100, **command.context_settings},
    )
    found = [(path, ctx)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name], ctx)
    return found


def cli_reference() -> str:
    blocks = []
    for path, ctx in _walk(main, ["actuel"], None):
        help_text = ctx.command.get_help(ctx)
        blocks.append(f"### `{' '.join(path)}`\n\n```text\n{help_text}\n```")
    return "\n\n".join(blocks)


def render(readme: str) -> str:
    for name, body in (("settings", settings_table()), ("cli", cli_reference())):
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.DOTALL)
        readme = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), readme)
    return readme


if __name__ == "__main__":
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if fresh == current else 1)
    README.write_text(fresh, encoding="utf-8")
