"""What happens to a posted comment: published, held for moderation, refused, or dropped."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from actuel.comments.links import count_links
from actuel.comments.tokens import TokenVerdict

MAX_EMAIL = 254  # the longest address SMTP carries
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# control characters a person never types; newlines and tabs stay
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Outcome(StrEnum):
    PUBLISH = "published"
    HOLD = "pending"
    REFUSE = "refused"  # the reader gets the form back with the reason
    DROP = "dropped"  # a bot: nothing stored, the answer looks like success


@dataclass(frozen=True)
class Limits:
    """The settings the rules read (comments_*)."""

    max_name: int = 80
    max_text: int = 4000
    hold_links: int = 2


@dataclass(frozen=True)
class Submission:
    """A posted form, cleaned: see `clean`."""

    name: str
    email: str
    text: str
    honeypot: str = ""
    token: TokenVerdict = TokenVerdict.OK


@dataclass(frozen=True)
class Facts:
    """What the store knows about this author and text."""

    email_approved: bool = False  # a comment of this e-mail address was published before
    duplicate: bool = False  # the same text is already under this article


@dataclass
class Decision:
    outcome: Outcome
    reason: str  # published, honeypot, token_invalid, token_expired, invalid, duplicate,
    # too_fast, links, new_author
    errors: dict[str, str] = field(default_factory=dict)  # form field → problem code


def clean_line(value: str) -> str:
    """One line of text: normalized, control characters out, spaces collapsed."""
    value = CONTROL.sub("", unicodedata.normalize("NFC", value))
    return " ".join(value.split())


def clean_text(value: str) -> str:
    """A comment's text: normalized, control characters out, at most one blank line in a row."""
    value = CONTROL.sub("", unicodedata.normalize("NFC", value.replace("\r\n", "\n")))
    lines = [line.rstrip() for line in value.replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(name: str, email: str, text: str, honeypot: str, token: TokenVerdict) -> Submission:
    return Submission(
        name=clean_line(name),
        email=clean_line(email).lower(),
        text=clean_text(text),
        honeypot=honeypot.strip(),
        token=token,
    )


def problems(sub: Submission, limits: Limits) -> dict[str, str]:
    """Each field's problem code: missing, too_long, not_email."""
    errors: dict[str, str] = {}
    if not sub.name:
        errors["name"] = "missing"
    elif len(sub.name) > limits.max_name:
        errors["name"] = "too_long"
    if not sub.email:
        errors["email"] = "missing"
    elif len(sub.email) > MAX_EMAIL or not EMAIL.match(sub.email):
        errors["email"] = "not_email"
    if not sub.text:
        errors["text"] = "missing"
    elif len(sub.text) > limits.max_text:
        errors["text"] = "too_long"
    return errors


def decide(sub: Submission, facts: Facts, limits: Limits) -> Decision:
    """The rules in order: bots dropped, bad forms refused, doubtful comments held."""
    if sub.honeypot:
        return Decision(Outcome.DROP, "honeypot")
    if sub.token is TokenVerdict.INVALID:
        return Decision(Outcome.REFUSE, "token_invalid")
    if sub.token is TokenVerdict.EXPIRED:
        return Decision(Outcome.REFUSE, "token_expired")
    errors = problems(sub, limits)
    if errors:
        return Decision(Outcome.REFUSE, "invalid", errors)
    if facts.duplicate:
        return Decision(Outcome.REFUSE, "duplicate", {"text": "duplicate"})
    if sub.token is TokenVerdict.TOO_FAST:
        return Decision(Outcome.HOLD, "too_fast")
    if count_links(sub.text) >= limits.hold_links:
        return Decision(Outcome.HOLD, "links")
    if not facts.email_approved:
        return Decision(Outcome.HOLD, "new_author")
    return Decision(Outcome.PUBLISH, "published")
