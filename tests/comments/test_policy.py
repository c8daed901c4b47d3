"""The moderation rules: bots dropped, bad forms refused, doubtful comments held."""

from __future__ import annotations

import pytest

from actuel.comments.policy import Facts, Limits, Outcome, clean, decide
from actuel.comments.tokens import TokenVerdict
from actuel.web.comments import limit_key

LIMITS = Limits(max_name=20, max_text=200, hold_links=2)
KNOWN = Facts(email_approved=True)


def submit(
    name: str = "Anne",
    email: str = "anne@exemple.fr",
    text: str = "Très bon article.",
    honeypot: str = "",
    token: TokenVerdict = TokenVerdict.OK,
    facts: Facts = KNOWN,
) -> tuple[Outcome, str, dict[str, str]]:
    decision = decide(clean(name, email, text, honeypot, token), facts, LIMITS)
    return decision.outcome, decision.reason, decision.errors


def test_an_approved_author_is_published() -> None:
    assert submit()[:2] == (Outcome.PUBLISH, "published")


def test_the_first_comment_of_an_address_is_held() -> None:
    assert submit(facts=Facts())[:2] == (Outcome.HOLD, "new_author")


def test_a_filled_honeypot_drops_even_a_perfect_comment() -> None:
    assert submit(honeypot="http://spam.example")[:2] == (Outcome.DROP, "honeypot")


@pytest.mark.parametrize(
    ("token", "outcome", "reason"),
    [
        (TokenVerdict.TOO_FAST, Outcome.HOLD, "too_fast"),
        (TokenVerdict.EXPIRED, Outcome.REFUSE, "token_expired"),
        (TokenVerdict.INVALID, Outcome.REFUSE, "token_invalid"),
    ],
)
def test_the_form_token_holds_or_refuses(
    token: TokenVerdict, outcome: Outcome, reason: str
) -> None:
    assert submit(token=token)[:2] == (outcome, reason)


def test_two_links_hold_one_does_not() -> None:
    assert submit(text="Voir https://a.example/x")[0] is Outcome.PUBLISH
    assert submit(text="https://a.example/x et https://b.example/y")[:2] == (Outcome.HOLD, "links")


def test_duplicates_are_refused() -> None:
    outcome, reason, errors = submit(facts=Facts(email_approved=True, duplicate=True))
    assert (outcome, reason, errors) == (Outcome.REFUSE, "duplicate", {"text": "duplicate"})


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": "  "}, {"name": "missing"}),
        ({"name": "N" * 21}, {"name": "too_long"}),
        ({"email": ""}, {"email": "missing"}),
        ({"email": "pas-une-adresse"}, {"email": "not_email"}),
        ({"text": "\n \n"}, {"text": "missing"}),
        ({"text": "x" * 201}, {"text": "too_long"}),
    ],
)
def test_missing_and_overlong_fields_are_refused_by_name(
    fields: dict[str, str], errors: dict[str, str]
) -> None:
    outcome, reason, found = submit(**fields)  # type: ignore[arg-type]
    assert (outcome, reason, found) == (Outcome.REFUSE, "invalid", errors)


def test_cleaning_keeps_paragraphs_and_drops_invisible_characters() -> None:
    sub = clean(
        " Anne \n Marie ",
        " Anne@Exemple.FR ",
        "Un\u200b.\r\n\r\n\r\n\r\nDeux\x00.",
        "",
        TokenVerdict.OK,
    )
    assert (sub.name, sub.email, sub.text) == ("Anne Marie", "anne@exemple.fr", "Un.\n\nDeux.")


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
    ],
)
def test_rate_limits_count_an_ipv6_line_not_each_of_its_addresses(address: str, key: str) -> None:
    assert limit_key(address) == key
