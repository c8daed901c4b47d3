"""The English catalog translates every French string of the site and is up to date with them."""

from __future__ import annotations

from actuel.web import messages
from actuel.web.i18n import gettext_for


def test_english_catalog_is_complete_and_current() -> None:
    problems = messages.problems("en")
    assert not problems, "\n".join(problems)


def test_message_template_is_current() -> None:
    """messages.pot is what `python scripts/i18n.py` writes from today's sources."""
    assert messages.TEMPLATE_FILE.read_bytes() == messages.dump(messages.extract())


def test_strings_marked_in_python_are_translated_where_shown() -> None:
    assert gettext_for("en")("Cet article n'existe pas.") == "This article does not exist."
    assert gettext_for("fr")("Cet article n'existe pas.") == "Cet article n'existe pas."


def test_regenerating_the_catalog_keeps_every_translation() -> None:
    """Running `python scripts/i18n.py` now would leave the English catalog as it is."""
    path = messages.catalog_path("en")
    assert messages.dump(messages.merged(messages.extract(), "en")) == path.read_bytes()
