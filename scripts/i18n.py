"""Extract the site's French messages into messages.pot and merge them into each catalog.

Run after adding or changing a `_()` / `ngettext()` / `N_()` string, then fill in the empty
msgstr of src/actuel/web/locale/<lang>/LC_MESSAGES/messages.po. Translations there are kept.
"""

from __future__ import annotations

import sys

from actuel.web import messages


def main() -> int:
    for path in messages.update():
        print(f"wrote {path}")
    left = [p for lang in messages.TRANSLATED for p in messages.problems(lang)]
    for problem in left:
        print(problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
