"""Signed form tokens: tied to one article, refused when forged, too fresh or too old."""

from __future__ import annotations

import pytest

from actuel.comments.tokens import SEEN, TokenVerdict, check, issue
from actuel.comments.tokens import verdict as timing

KEY = b"k" * 32
NOW = 1_800_000_000.0


def verdict(token: str, *, article_id: int = 7, now: float = NOW + 60) -> TokenVerdict:
    return check(KEY, token, article_id, now, min_age=3.0, max_age=7200.0)


def test_a_form_sent_a_minute_after_it_was_shown_passes() -> None:
    assert verdict(issue(KEY, 7, NOW)) is TokenVerdict.OK


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (0.0, TokenVerdict.TOO_FAST),
        (2.9, TokenVerdict.TOO_FAST),
        (3.0, TokenVerdict.OK),
        (7200.0, TokenVerdict.OK),
        (7200.5, TokenVerdict.EXPIRED),
    ],
)
def test_the_form_age_decides_between_too_fast_fine_and_expired(
    after: float, expected: TokenVerdict
) -> None:
    assert verdict(issue(KEY, 7, NOW), now=NOW + after) is expected


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        issue(KEY, 8, NOW),  # another article's form
        issue(b"other key" * 4, 7, NOW),  # not signed by us
        issue(KEY, 7, NOW).replace(f".{int(NOW * 1000)}.", f".{int(NOW * 1000) - 60_000}."),
        "c1.7.-5.abc",
    ],
)
def test_forged_damaged_or_foreign_tokens_are_invalid(token: str) -> None:
    assert verdict(token) is TokenVerdict.INVALID


def test_the_token_names_no_reader_so_pages_stay_cacheable() -> None:
    assert issue(KEY, 7, NOW) == issue(KEY, 7, NOW)


def test_a_form_token_never_passes_for_the_page_clock_nor_the_reverse() -> None:
    form, seen = issue(KEY, 7, NOW), issue(KEY, 7, NOW, SEEN)
    assert check(KEY, form, 7, NOW + 60, min_age=3, max_age=7200, purpose=SEEN) is (
        TokenVerdict.INVALID
    )
    assert verdict(seen) is TokenVerdict.INVALID
    assert check(KEY, seen, 7, NOW + 60, min_age=3, max_age=7200, purpose=SEEN) is TokenVerdict.OK


@pytest.mark.parametrize(
    ("form", "seen", "expected"),
    [
        (TokenVerdict.OK, TokenVerdict.OK, TokenVerdict.OK),
        (TokenVerdict.OK, TokenVerdict.TOO_FAST, TokenVerdict.TOO_FAST),
        (TokenVerdict.OK, TokenVerdict.INVALID, TokenVerdict.TOO_FAST),  # no cookie: held
        (TokenVerdict.EXPIRED, TokenVerdict.OK, TokenVerdict.EXPIRED),
        (TokenVerdict.INVALID, TokenVerdict.OK, TokenVerdict.INVALID),
    ],
)
def test_the_post_is_timed_by_the_page_clock_once_the_form_is_sound(
    form: TokenVerdict, seen: TokenVerdict, expected: TokenVerdict
) -> None:
    assert timing(form, seen) is expected
