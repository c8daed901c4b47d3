"""The LibreTranslate client against a real server on loopback: batches, routes, and failures."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from actuel.config import load_settings
from actuel.errors import ConfigError, TranslationRefused, TranslatorUnavailable
from actuel.fetch import libretranslate
from actuel.fetch.libretranslate import LibreTranslate
from actuel.translate.backend import translate_by_route
from tests.support.libretranslate import FakeLibreTranslate, translated

Make = Callable[..., LibreTranslate]


@pytest.fixture
def server() -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as fake:
        yield fake


@pytest.fixture
def make(server: FakeLibreTranslate) -> Iterator[Make]:
    """Clients of `server` (or of another URL), with short timeouts and backoff."""
    made: list[LibreTranslate] = []

    def _make(url: str | None = None, **options: Any) -> LibreTranslate:
        options = {"timeout": 2.0, "backoff": 0.01, **options}
        client = LibreTranslate(url or server.url, **options)
        made.append(client)
        return client

    yield _make
    for client in made:
        client.close()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses between tries, recorded instead of slept."""
    seen: list[float] = []
    monkeypatch.setattr(libretranslate, "_pause", seen.append)
    return seen


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# translations


def test_translations_come_back_in_order_in_batches(server: FakeLibreTranslate, make: Make) -> None:
    texts = ["one", "two", "three", "four", "five"]
    client = make(batch=2)
    assert client.translate(texts, "en", "fr") == [translated(t, "fr") for t in texts]
    sent = server.translations
    assert [r.body["q"] for r in sent] == [["one", "two"], ["three", "four"], ["five"]]
    assert all(r.body["source"] == "en" and r.body["target"] == "fr" for r in sent)
    assert all(r.body["format"] == "text" and "api_key" not in r.body for r in sent)


def test_a_batch_is_split_when_its_texts_are_long(server: FakeLibreTranslate, make: Make) -> None:
    texts = [c * 8000 for c in "abcd"]
    assert make(batch=16).translate(texts, "en", "fr") == [translated(t, "fr") for t in texts]
    assert [len(r.body["q"]) for r in server.translations] == [2, 2]


def test_empty_texts_are_not_sent(server: FakeLibreTranslate, make: Make) -> None:
    client = make()
    result = client.translate(["", "Hello", "  \n", "World"], "en", "fr")
    assert result == ["", "fr:HELLO", "", "fr:WORLD"]
    assert [r.body["q"] for r in server.translations] == [["Hello", "World"]]
    assert client.translate(["", " "], "en", "fr") == ["", ""]
    assert client.translate([], "en", "fr") == []
    assert len(server.translations) == 1


def test_one_text_answered_as_a_string_is_accepted(server: FakeLibreTranslate, make: Make) -> None:
    server.answer_next(json.dumps({"translatedText": "bonjour"}).encode())
    assert make().translate(["hello"], "en", "fr") == ["bonjour"]


# languages and routes


def test_pairs_come_from_languages_and_are_asked_once(
    server: FakeLibreTranslate, make: Make
) -> None:
    client = make()
    expected = {("en", "fr"), ("en", "de"), ("en", "es"), ("fr", "en"), ("de", "en"), ("es", "en")}
    assert client.pairs() == expected
    assert client.pairs() == expected
    assert [r.path for r in server.requests] == ["/languages"]


def test_codes_are_lower_cased_and_sent_as_the_server_writes_them(make: Make) -> None:
    languages = [("EN", "English", ["zh-Hans", "EN", "fr"]), ("zh-Hans", "Chinese", ["en"])]
    with FakeLibreTranslate(languages) as odd:
        client = make(odd.url)
        assert client.pairs() == {("en", "zh-hans"), ("en", "fr"), ("zh-hans", "en")}
        assert client.translate(["hi"], "en", "zh-hans") == ["zh-Hans:HI"]
        assert (odd.translations[0].body["source"], odd.translations[0].body["target"]) == (
            "EN",
            "zh-Hans",
        )


def test_model_is_the_server(server: FakeLibreTranslate, make: Make) -> None:
    assert make().model("en", "fr") == f"libretranslate@127.0.0.1:{server.port}"


def test_pivot_through_english_takes_two_requests(make: Make) -> None:
    with FakeLibreTranslate([("de", "German", ["en"]), ("en", "English", ["fr"])]) as pivot:
        client = make(pivot.url)
        texts, model = translate_by_route(client, ["Hallo", "Welt"], "de", "fr")
        assert texts == ["fr:EN:HALLO", "fr:EN:WELT"]
        one = f"libretranslate@127.0.0.1:{pivot.port}"
        assert model == f"{one}+{one}"
        hops = [(r.body["source"], r.body["target"]) for r in pivot.translations]
        assert hops == [("de", "en"), ("en", "fr")]


# refusals


def test_unsupported_language_is_refused_with_the_servers_message(
    server: FakeLibreTranslate, make: Make
) -> None:
    with pytest.raises(TranslationRefused, match="ja is not available as a target language"):
        make().translate(["hello"], "en", "ja")
    assert len(server.translations) == 1  # a refusal is not tried again


def test_wrong_api_key_is_a_config_error(make: Make) -> None:
    with FakeLibreTranslate(api_key="secret") as keyed:
        with pytest.raises(ConfigError, match="ACTUEL_TRANSLATE_API_KEY") as raised:
            make(keyed.url, api_key="wrong").translate(["hello"], "en", "fr")
        assert "API key" in str(raised.value)
        assert len(keyed.translations) == 1
        assert make(keyed.url, api_key="secret").translate(["hello"], "en", "fr") == ["fr:HELLO"]
        assert keyed.translations[-1].body["api_key"] == "secret"


def test_api_key_from_settings(make: Make) -> None:
    with FakeLibreTranslate(api_key="secret") as keyed:
        environ = {"ACTUEL_TRANSLATE_URL": keyed.url, "ACTUEL_TRANSLATE_API_KEY": "secret"}
        with LibreTranslate.from_settings(load_settings(environ=environ)) as client:
            assert client.translate(["hello"], "en", "fr") == ["fr:HELLO"]


# failures that may pass: tried again, then TranslatorUnavailable


def test_429_is_tried_again_after_retry_after(server: FakeLibreTranslate, make: Make) -> None:
    server.fail_next(429, 2, retry_after="0")
    assert make(retries=3).translate(["hello"], "en", "fr") == ["fr:HELLO"]
    assert len(server.translations) == 3


def test_retry_after_is_honoured_and_capped(
    server: FakeLibreTranslate, make: Make, waits: list[float]
) -> None:
    server.fail_next(429, retry_after="7")
    server.fail_next(503, retry_after="3600")
    server.fail_next(500, retry_after="9")  # only 429 and 503 say how long to wait
    assert make(retries=3, backoff=0.25).translate(["hello"], "en", "fr") == ["fr:HELLO"]
    assert waits == [7.0, 30.0, 1.0]


def test_server_errors_exhaust_the_tries(
    server: FakeLibreTranslate, make: Make, waits: list[float]
) -> None:
    server.fail_next(500, 3)
    with pytest.raises(TranslatorUnavailable, match="is running") as raised:
        make(retries=2, backoff=0.5).translate(["hello"], "en", "fr")
    assert server.url in str(raised.value)
    assert "500" in str(raised.value)
    assert len(server.translations) == 3
    assert waits == [0.5, 1.0]


def test_server_errors_fewer_than_the_tries_pass(server: FakeLibreTranslate, make: Make) -> None:
    server.fail_next(500, 2)
    assert make(retries=2).translate(["hello"], "en", "fr") == ["fr:HELLO"]


def test_a_slow_answer_times_out_quickly(server: FakeLibreTranslate, make: Make) -> None:
    server.delay = 1.5
    started = time.monotonic()
    with pytest.raises(TranslatorUnavailable, match=r"no answer within 0\.2 s"):
        make(timeout=0.2, retries=1).translate(["hello"], "en", "fr")
    assert time.monotonic() - started < 1.0
    assert len(server.translations) == 2


def test_a_server_dying_mid_call_returns_nothing(server: FakeLibreTranslate, make: Make) -> None:
    server.die_after(2)
    client = make(batch=2, retries=2)
    with pytest.raises(TranslatorUnavailable, match="is running") as raised:
        client.translate(["a", "b", "c", "d", "e", "f"], "en", "fr")
    assert server.url in str(raised.value)
    assert len(server.translations) == 2  # the third batch never reached it


def test_nothing_listening_names_the_url(make: Make) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(TranslatorUnavailable) as raised:
        make(url, retries=1).translate(["hello"], "en", "fr")
    assert f"the LibreTranslate server at {url} is running" in str(raised.value)
    assert time.monotonic() - started < 2.0
    with pytest.raises(TranslatorUnavailable, match=url):
        make(url, retries=0).pairs()


# servers that misbehave


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"translatedText": ["only one"]}',
        b'{"translatedText": [1, 2]}',
        b'{"detail": "hm"}',
        b"[]",
    ],
)
def test_wrong_answers_are_unavailable(server: FakeLibreTranslate, make: Make, body: bytes) -> None:
    server.answer_next(body)
    with pytest.raises(TranslatorUnavailable):
        make().translate(["hello", "world"], "en", "fr")


def test_a_wrong_language_list_is_unavailable(server: FakeLibreTranslate, make: Make) -> None:
    server.answer_next(b'{"languages": []}', path="/languages")
    client = make()
    with pytest.raises(TranslatorUnavailable, match="/languages"):
        client.pairs()
    assert ("en", "fr") in client.pairs()  # a failure is not remembered


def test_an_answer_over_the_cap_is_unavailable(server: FakeLibreTranslate, make: Make) -> None:
    client = make(max_response_bytes=1000)
    assert client.translate(["short"], "en", "fr") == ["fr:SHORT"]
    with pytest.raises(TranslatorUnavailable, match="over 1000 bytes"):
        client.translate(["x" * 2000], "en", "fr")
    unannounced = json.dumps({"translatedText": ["y" * 2000]}).encode()
    server.answer_next(unannounced, content_length=False)
    with pytest.raises(TranslatorUnavailable, match="over 1000 bytes"):
        client.translate(["x"], "en", "fr")


# settings


def test_loopback_works_with_default_settings(server: FakeLibreTranslate) -> None:
    settings = load_settings(environ={"ACTUEL_TRANSLATE_URL": server.url + "/"})
    assert settings.fetch_allow_private is False
    with LibreTranslate.from_settings(settings) as client:
        assert client.translate(["hello"], "en", "fr") == ["fr:HELLO"]
        assert client.pairs()
    assert server.requests[0].headers["user-agent"].startswith("actuel/")


def test_no_url_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="ACTUEL_TRANSLATE_URL"):
        LibreTranslate.from_settings(load_settings(environ={}))


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1:5000", "127.0.0.1:5000", "http://", "http://host:port", "http://h/?q=1"],
)
def test_unusable_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="ACTUEL_TRANSLATE_URL"):
        LibreTranslate(url)
