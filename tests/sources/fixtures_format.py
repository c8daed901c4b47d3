"""Read the header of a self-describing HTML fixture: `base:`, `max_links:`, `expect:`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class HtmlCase:
    """One fixture file: its HTML and what the header comment promises."""

    path: Path
    html: str
    base: str
    expect: list[str] = field(default_factory=list)
    max_links: int | None = None


def read_case(path: Path) -> HtmlCase:
    html = path.read_text(encoding="utf-8")
    header = html.split("-->", 1)[0]
    base, max_links, expect, in_expect = "", None, [], False
    for line in header.splitlines():
        line = line.strip()
        if line.startswith("base:"):
            base = line.removeprefix("base:").strip()
        elif line.startswith("max_links:"):
            max_links = int(line.removeprefix("max_links:"))
        elif line.startswith("expect:"):
            in_expect = True
        elif in_expect and line:
            expect.append(line)
    assert base, f"{path.name}: the header comment needs a base: line"
    return HtmlCase(path=path, html=html, base=base, expect=expect, max_links=max_links)
