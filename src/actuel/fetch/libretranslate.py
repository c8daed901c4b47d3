"""The LibreTranslate client: a `Translator` sending texts to the operator's LibreTranslate server.

It has its own `httpx.Client`, not the project's Fetcher: the Fetcher guards against feeds that
point at private addresses, while a translation server is chosen by the operator and commonly
listens on loopback or an intranet (http://127.0.0.1:5000). That address must work without opening
the Fetcher's guard (ACTUEL_FETCH_ALLOW_PRIVATE) to every feed. Proxy variables of the environment
are ignored, as by the Fetcher: the server is reached at the address set, directly.

Every call is all-or-nothing: `translate` returns the translations only when every batch was
answered; when one fails it raises, and the batches already translated are dropped, so that the
caller stores nothing from that call.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from actuel.config import Settings
from actuel.errors import ConfigError, TranslationRefused, TranslatorUnavailable
from actuel.fetch.politeness import parse_retry_after

log = logging.getLogger("actuel.translate")

MB = 1024 * 1024
MAX_BATCH_CHARS = 20_000  # a batch is split further when its texts add up to more characters
MAX_WAIT = 30.0  # seconds: the longest pause between two tries, whatever Retry-After asks
RETRY_AFTER_STATUSES = frozenset({429, 503})
KEY_STATUSES = frozenset({401, 403})

URL_SETTING = "ACTUEL_TRANSLATE_URL"
KEY_SETTING = "ACTUEL_TRANSLATE_API_KEY"
URL_EXAMPLE = "http://127.0.0.1:5000"

# the pause between two tries; tests replace it to see the waits without waiting
_pause: Callable[[float], None] = time.sleep


class _Retryable(Exception):  # noqa: N818 - internal signal, never seen outside this module
    """One try failed in a way that may pass: why, and the wait the server asked for (if any)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def _checked_url(url: str) -> tuple[str, str, str]:
    """The base URL (no trailing slash), the same without user:password (for messages and logs),
    and host[:port]; ConfigError when it is not an http(s) address with a host."""
    text = url.strip()
    fix = f"set {URL_SETTING} to the LibreTranslate server's address, e.g. {URL_EXAMPLE}"
    if not text:
        raise ConfigError("no LibreTranslate server is set", fix=fix)
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ConfigError(f"{text!r} has an invalid port", fix=fix) from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"{text!r} is not an http:// or https:// address with a host", fix=fix)
    if parts.query or parts.fragment:
        raise ConfigError(f"{text!r} has a query or a fragment", fix=fix)
    host = parts.netloc.rsplit("@", 1)[-1].lower()
    base = text.rstrip("/")
    shown = f"{parts.scheme.lower()}://{host}{parts.path}".rstrip("/")
    return base, shown, host


class LibreTranslate:
    """A `Translator` backed by a LibreTranslate server (GET /languages, POST /translate).

    Texts go in batches of at most `batch` texts and MAX_BATCH_CHARS characters; empty and
    blank texts are not sent and come back as "". A refused connection, a timeout, a 5xx or a 429
    is tried again up to `retries` times (so `retries + 1` tries), waiting `backoff` seconds,
    doubled at each try, or what Retry-After asks on 429 and 503, never over 30 s; then
    TranslatorUnavailable. A 400 (an unsupported language, a text too long) is TranslationRefused
    with the server's message; 401 and 403 (the API key) are ConfigError. `timeout` bounds each
    request, from sending it to the last byte of its answer.
    """

    name = "libretranslate"

    def __init__(
        self,
        url: str,
        *,
        api_key: str = "",
        timeout: float = 30.0,
        batch: int = 16,
        retries: int = 3,
        backoff: float = 0.5,
        user_agent: str | None = None,
        max_response_bytes: int = 8 * MB,
    ):
        self.url, self._shown, self._host = _checked_url(url)
        if not timeout > 0:
            raise ConfigError(
                f"translation timeout {timeout!r} is not a positive number of seconds",
                fix="set ACTUEL_TRANSLATE_TIMEOUT to a number of seconds above 0",
            )
        if batch < 1:
            raise ConfigError(
                f"translation batch {batch!r} is below 1",
                fix="set ACTUEL_TRANSLATE_BATCH to 1 or more texts",
            )
        if retries < 0 or backoff < 0 or max_response_bytes < 1:
            raise ConfigError(
                "retries and backoff must be 0 or more, max_response_bytes 1 or more",
                fix="pass non-negative values",
            )
        self.api_key = api_key
        self.timeout = float(timeout)
        self.batch = batch
        self.retries = retries
        self.backoff = float(backoff)
        self.max_response_bytes = max_response_bytes
        headers = {"Accept": "application/json"}
        if user_agent:
            headers["User-Agent"] = user_agent
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            headers=headers,
            follow_redirects=False,
            trust_env=False,
        )
        self._pairs: frozenset[tuple[str, str]] | None = None
        self._spelling: dict[str, str] = {}  # lower-cased code -> as the server writes it

    @classmethod
    def from_settings(cls, settings: Settings) -> LibreTranslate:
        """The client for ACTUEL_TRANSLATE_URL, _API_KEY, _TIMEOUT and _BATCH."""
        url = str(settings.translate_url or "")
        if not url.strip():
            raise ConfigError(
                "the libretranslate backend needs the server's address",
                fix=f"set {URL_SETTING} to the LibreTranslate server's address, e.g. {URL_EXAMPLE}",
            )
        return cls(
            url,
            api_key=str(settings.translate_api_key or ""),
            timeout=float(settings.translate_timeout),
            batch=int(settings.translate_batch),
            user_agent=settings.user_agent,
        )

    # lifetime

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LibreTranslate({self._shown!r})"

    # the Translator protocol

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The (source, target) pairs the server lists in /languages, codes lower-cased (zh-hans
        stays zh-hans); asked once, then remembered. A language listed without `targets` (old
        servers) translates into every other listed language."""
        if self._pairs is None:
            data = self._call("GET", "/languages", None, doing="listing its languages")
            self._pairs = self._read_languages(data)
            log.info("libretranslate %s: %d language pairs", self._shown, len(self._pairs))
        return self._pairs

    def model(self, source: str, target: str) -> str:
        """The server is the model: nothing more can be known of it."""
        return f"libretranslate@{self._host}"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts translated, in order; all of them, or an exception and nothing."""
        results = [""] * len(texts)
        todo = [(index, text) for index, text in enumerate(texts) if text.strip()]
        src, tgt = self._spelled(source), self._spelled(target)
        for chunk in self._batches(todo):
            translated = self._translate_batch([text for _, text in chunk], src, tgt)
            for (index, _), result in zip(chunk, translated, strict=True):
                results[index] = result
        return results

    # inside

    def _spelled(self, code: str) -> str:
        """A language code as the server wrote it in /languages, when it was asked."""
        return self._spelling.get(code.lower(), code)

    def _batches(self, todo: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
        chunk: list[tuple[int, str]] = []
        chars = 0
        for item in todo:
            size = len(item[1])
            if chunk and (len(chunk) >= self.batch or chars + size > MAX_BATCH_CHARS):
                yield chunk
                chunk, chars = [], 0
            chunk.append(item)
            chars += size
        if chunk:
            yield chunk

    def _translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        body: dict[str, Any] = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        started = time.monotonic()
        data = self._call("POST", "/translate", body, doing=f"translating {source}→{target}")
        answer = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(answer, str) and len(texts) == 1:
            answer = [answer]
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise self._misbehaving('answered without a "translatedText" list of strings')
        if len(answer) != len(texts):
            raise self._misbehaving(f"answered {len(answer)} translations for {len(texts)} texts")
        log.debug(
            "libretranslate %s: %d texts %s→%s (%d characters) in %.2f s",
            self._shown,
            len(texts),
            source,
            target,
            sum(map(len, texts)),
            time.monotonic() - started,
        )
        return answer

    def _read_languages(self, data: Any) -> frozenset[tuple[str, str]]:
        if not isinstance(data, list) or not all(
            isinstance(entry, dict) and isinstance(entry.get("code"), str) for entry in data
        ):
            raise self._misbehaving('answered /languages without a list of {"code": ...}')
        codes = [entry["code"] for entry in data]
        pairs = set()
        for entry in data:
            targets = entry.get("targets", codes)
            if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise self._misbehaving(f"lists targets of {entry['code']!r} that are not codes")
            code = entry["code"].strip()
            self._spelling[code.lower()] = code
            for target in targets:
                if target.strip().lower() != code.lower():
                    pairs.add((code.lower(), target.strip().lower()))
        return frozenset(pairs)

    def _misbehaving(self, what: str) -> TranslatorUnavailable:
        return TranslatorUnavailable(
            f"the LibreTranslate server at {self._shown} {what}",
            fix=f"check that {URL_SETTING} is the address of a LibreTranslate server",
        )

    def _call(self, method: str, path: str, body: dict[str, Any] | None, *, doing: str) -> Any:
        """The JSON answer of one request, tried again on the failures that may pass."""
        tries = self.retries + 1
        reason = ""
        for attempt in range(tries):
            try:
                return self._once(method, path, body, doing=doing)
            except _Retryable as failed:
                reason = failed.reason
                if attempt + 1 == tries:
                    break
                wait = failed.wait if failed.wait is not None else self.backoff * 2**attempt
                wait = min(wait, MAX_WAIT)
                log.warning(
                    "libretranslate %s, %s: %s; try %d of %d in %.2f s",
                    self._shown,
                    doing,
                    reason,
                    attempt + 2,
                    tries,
                    wait,
                )
                _pause(wait)
        raise TranslatorUnavailable(
            f"the LibreTranslate server at {self._shown} failed {tries} "
            f"{'try' if tries == 1 else 'tries'} at {doing}: {reason}",
            fix=f"check that the LibreTranslate server at {self._shown} is running "
            f"and that {URL_SETTING} is its address; try again later",
        )

    def _once(self, method: str, path: str, body: dict[str, Any] | None, *, doing: str) -> Any:
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream(method, self.url + path, json=body) as response:
                status = response.status_code
                if status == 429 or status >= 500:
                    wait = None
                    if status in RETRY_AFTER_STATUSES:
                        wait = parse_retry_after(response.headers.get("retry-after"))
                    raise _Retryable(f"it answered {status}", wait)
                content = self._read(response, deadline)
        except httpx.TimeoutException:
            raise _Retryable(f"no answer within {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None
        if status != 200:
            raise self._status_error(status, content, doing)
        try:
            return json.loads(content)
        except (UnicodeDecodeError, ValueError):
            raise self._misbehaving(f"answered {path} with something that is not JSON") from None

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise self._too_large()
        chunks = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_response_bytes:
                raise self._too_large()
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("the whole answer took too long")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> TranslatorUnavailable:
        return self._misbehaving(f"sent an answer over {self.max_response_bytes} bytes")

    def _status_error(self, status: int, content: bytes, doing: str) -> Exception:
        said = _server_error(content)
        told = f": {said}" if said else ""
        if status in KEY_STATUSES:
            return ConfigError(
                f"the LibreTranslate server at {self._shown} refused the API key ({status}){told}",
                fix=f"set {KEY_SETTING} to a key the server accepts",
            )
        if status in {400, 413}:
            return TranslationRefused(
                f"the LibreTranslate server at {self._shown} refused {doing} ({status}){told}",
                fix=f"see the pairs it offers at {self._shown}/languages",
            )
        return TranslatorUnavailable(
            f"the LibreTranslate server at {self._shown} answered {status} at {doing}{told}",
            fix=f"check that {URL_SETTING} is the server's address, e.g. {URL_EXAMPLE}",
        )


def _server_error(content: bytes) -> str:
    """The message of LibreTranslate's error body {"error": "..."}, else "" (shortened)."""
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, ValueError):
        return ""
    said = data.get("error") if isinstance(data, dict) else None
    return said.strip()[:300] if isinstance(said, str) else ""
