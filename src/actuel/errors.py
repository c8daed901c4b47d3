"""Exception tree: every error has a stable code and a message that names the fix."""

from __future__ import annotations


class ActuelError(Exception):
    """Base of every error actuel raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, fix: str | None = None, source: str | None = None):
        self.problem = message
        self.fix = fix
        self.source = source
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: which source, what went wrong, how to fix it."""
        parts = []
        if self.source:
            parts.append(f"{self.source}: ")
        parts.append(self.problem)
        if self.fix:
            parts.append(f" ({self.fix})")
        return "".join(parts)


class ConfigError(ActuelError):
    """A setting has a value that cannot be used."""

    code = "config"


class FetchError(ActuelError):
    """Fetching a URL failed."""

    code = "fetch"


class BlockedAddressError(FetchError):
    """The URL resolves to an address we refuse to contact (private, loopback, link-local...)."""

    code = "fetch.blocked_address"


class BlockedSchemeError(FetchError):
    """The URL's scheme is not http or https."""

    code = "fetch.blocked_scheme"


class TooLargeError(FetchError):
    """The response body went over a size cap."""

    code = "fetch.too_large"


class DeadlineError(FetchError):
    """The whole request took longer than the wall-clock deadline."""

    code = "fetch.deadline"


class FetchTimeoutError(FetchError):
    """Connecting or reading timed out."""

    code = "fetch.timeout"


class TooManyRedirectsError(FetchError):
    """More redirects than allowed."""

    code = "fetch.redirects"


class ConnectError(FetchError):
    """The server could not be reached."""

    code = "fetch.connect"


class RobotsDisallowedError(FetchError):
    """robots.txt forbids this URL for our User-Agent."""

    code = "fetch.robots"


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    code = "fetch.status"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None = None,
        fix: str | None = None,
        source: str | None = None,
    ):
        self.status = status
        self.retry_after = retry_after
        super().__init__(message, fix=fix, source=source)


class ParseError(ActuelError):
    """Bytes could not be read as a feed, sitemap or OPML document."""

    code = "parse"


class NotAFeedError(ParseError):
    """The document is not a feed or sitemap (an HTML page, a JSON error, an empty body)."""

    code = "parse.not_a_feed"


class ExtractError(ActuelError):
    """A page could not be turned into an article."""

    code = "extract"


class StoreError(ActuelError):
    """The database refused an operation."""

    code = "store"


class NotFoundError(StoreError):
    """No row with that id or URL."""

    code = "store.not_found"


class HiddenError(NotFoundError):
    """The row is there, but an editor hid it from readers."""

    code = "store.hidden"


class DuplicateSourceError(StoreError):
    """A source with that URL is already registered."""

    code = "store.duplicate_source"


class DemoCorpusError(ActuelError):
    """A file of the demo world (outlets.toml, a story) is malformed or inconsistent."""

    code = "demo.corpus"


class StoriesInputError(ActuelError):
    """A batch input line for `actuel cluster` or `actuel relate` cannot be read."""

    code = "stories.input"


class TranslateError(ActuelError):
    """A translation backend could not translate: the articles stay shown in their language."""

    code = "translate"


class TranslatorUnavailable(TranslateError):  # noqa: N818 - named for what the operator sees
    """The backend cannot be reached or keeps failing now: pause, and try again later."""

    code = "translate.unavailable"


class TranslationRefused(TranslateError):  # noqa: N818 - named for what the operator sees
    """The backend refused these texts or this pair of languages: mark them, move on."""

    code = "translate.refused"
