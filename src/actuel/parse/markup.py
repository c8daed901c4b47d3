"""Tags out of short strings by a regex, for what an HTML parser trips on or is too much for: a
name, a title of "<html>" alone, an unclosed `<b onmouseover=…`. Text between tags stays."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]*>?")


def strip_tags(text: str) -> str:
    """`text` with every tag (closed or not) replaced by a space."""
    return _TAG.sub(" ", text)
