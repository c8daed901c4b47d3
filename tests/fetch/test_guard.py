"""The SSRF guard: private addresses and foreign schemes are refused before any byte is sent."""

from __future__ import annotations

import ipaddress

import pytest

from actuel.config import Settings
from actuel.errors import BlockedAddressError, BlockedSchemeError
from actuel.fetch import Fetcher, refusal_reason
from tests.support.loopback import Loopback, Reply

# Host parts of URLs that all reach this machine or a private network.
PRIVATE_HOSTS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "2130706433",  # 127.0.0.1 as one decimal number
    "0x7f.0.0.1",
    "0177.0.0.1",
    "127.1",
    "0.0.0.0",
    "[::]",
    "169.254.169.254",  # cloud metadata
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",
    "224.0.0.1",
    "[fe80::1]",
    "[fc00::1]",
    "[64:ff9b::7f00:1]",  # NAT64 form of 127.0.0.1
    "[2002:7f00:1::]",  # 6to4 form of 127.0.0.1
]


@pytest.fixture
def guarded(fetch_settings: Settings) -> Settings:
    return fetch_settings.replace(fetch_allow_private=False)


@pytest.mark.parametrize("host", PRIVATE_HOSTS)
def test_private_address_refused_before_any_byte(
    loopback: Loopback, guarded: Settings, host: str
) -> None:
    loopback.route("/feed", b"<rss/>")
    with Fetcher(guarded) as fetcher, pytest.raises(BlockedAddressError) as info:
        fetcher.get(f"http://{host}:{loopback.port}/feed", source="source 7 (test)")
    assert loopback.hits == []
    message = str(info.value)
    assert message.startswith("source 7 (test): ")
    assert "refused" in message
    assert "ACTUEL_FETCH_ALLOW_HOSTS" in message


def test_loopback_reached_when_the_setting_allows_it(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/feed", b"<rss/>")
    assert fetcher.get(loopback.url("/feed")).content == b"<rss/>"
    assert len(loopback.hits) == 1


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://127.0.0.1:{port}/_x", "ftp://127.0.0.1:{port}/", "data:,x"],
)
def test_foreign_scheme_refused(loopback: Loopback, fetcher: Fetcher, url: str) -> None:
    with pytest.raises(BlockedSchemeError, match="only http and https"):
        fetcher.get(url.format(port=loopback.port), source="source 3 (x)")
    assert loopback.hits == []


def test_public_name_resolving_to_private_address_refused(
    loopback: Loopback, guarded: Settings
) -> None:
    loopback.route("/feed", b"<rss/>")
    names = {"intranet.example": ["10.1.2.3"], "mixed.example": ["93.184.215.14", "127.0.0.1"]}
    with Fetcher(guarded, resolver=lambda host: names[host]) as fetcher:
        for name in names:
            with pytest.raises(BlockedAddressError, match=f"{name} resolves to"):
                fetcher.get(f"http://{name}:{loopback.port}/feed")
    assert loopback.hits == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("target", ["http://intranet.example:{port}", "http://127.0.0.1:{port}"])
def test_redirect_to_private_address_blocked_at_the_hop(
    loopback: Loopback, guarded: Settings, status: int, target: str
) -> None:
    """news.example is allowed by name (like an operator's allow-list); where it points is not."""
    settings = guarded.replace(fetch_allow_hosts="news.example")
    loopback.route("/start", Reply(status, {"Location": target.format(port=loopback.port) + "/x"}))
    loopback.route("/x", b"secret")
    resolver = {"news.example": ["127.0.0.1"], "intranet.example": ["127.0.0.1"]}
    with (
        Fetcher(settings, resolver=lambda host: resolver[host]) as fetcher,
        pytest.raises(BlockedAddressError),
    ):
        fetcher.get(f"http://news.example:{loopback.port}/start")
    assert len(loopback.hits_to("/start")) == 1
    assert loopback.hits_to("/x") == []


def test_allow_listed_name_is_fetched(loopback: Loopback, guarded: Settings) -> None:
    settings = guarded.replace(fetch_allow_hosts=" Other.example , news.example.")
    loopback.route("/feed", b"<rss/>")
    with Fetcher(settings, resolver=lambda host: ["127.0.0.1"]) as fetcher:
        result = fetcher.get(f"http://NEWS.example:{loopback.port}/feed")
    assert result.content == b"<rss/>"
    assert loopback.hits[0].header("host") == f"news.example:{loopback.port}"


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"],
)
def test_public_addresses_pass_the_guard(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_robots_lookup_is_guarded_too(loopback: Loopback, guarded: Settings) -> None:
    loopback.route("/robots.txt", b"User-agent: *\nAllow: /\n")
    loopback.route("/feed", b"<rss/>")
    with (
        Fetcher(guarded.replace(fetch_respect_robots=True)) as fetcher,
        pytest.raises(BlockedAddressError),
    ):
        fetcher.get(loopback.url("/feed"))
    assert loopback.hits == []


def test_international_host_name_allow_listed_as_written(
    loopback: Loopback, guarded: Settings
) -> None:
    loopback.route("/feed", b"<rss/>")
    settings = guarded.replace(fetch_allow_hosts="Actualité.example")
    asked: list[str] = []

    def resolver(host: str) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    with Fetcher(settings, resolver=resolver) as fetcher:
        assert fetcher.get(f"http://actualité.example:{loopback.port}/feed").content == b"<rss/>"
        with pytest.raises(BlockedAddressError):
            fetcher.get(f"http://actualites.example:{loopback.port}/feed")
    assert asked == ["xn--actualit-i1a.example", "actualites.example"]
