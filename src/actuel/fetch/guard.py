"""Address policy: which hosts and IP addresses actuel may contact (the SSRF guard's rules).

Hand-written because no library classifies every tricky literal (decimal, octal, IPv4-mapped IPv6,
NAT64, 6to4) the way a fetcher needs; the checks themselves come from the standard `ipaddress`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

import idna

Resolver = Callable[[str], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = ("http", "https")

# IPv6 prefixes that embed an IPv4 address a router may forward to: NAT64 and 6to4.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
# Shared address space (carrier-grade NAT) is not global, yet not "private" for Python 3.11.
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")


class BlockedAddress(Exception):  # noqa: N818 - internal signal, turned into BlockedAddressError
    """Raised inside the network backend when a host resolves to a refused address."""

    def __init__(self, host: str, address: str, reason: str):
        self.host = host
        self.address = address
        self.reason = reason
        super().__init__(self.describe())

    def describe(self) -> str:
        """Which host, which address, why it is refused, in one phrase."""
        if literal_ip(self.host) is not None:
            return f"address {self.host} is refused ({self.reason})"
        return f"{self.host} resolves to {self.address}, refused ({self.reason})"


def literal_ip(host: str) -> IPAddress | None:
    """The address a host name written as an IP literal stands for, in any form a resolver accepts.

    Besides dotted quads and IPv6, C resolvers accept `2130706433`, `0x7f.1`, `0177.0.0.1` and
    `127.1`; a URL using them must be judged as the address it reaches.
    """
    text = host.strip("[]")
    text = text.split("%", 1)[0]  # IPv6 zone index
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(c in "0123456789abcdefABCDEFxX." for c in text) and text[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why actuel refuses to connect to `address`, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in _NAT64 or address in _NAT64_LOCAL):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refusal_reason(embedded)
            return f"{inner}, as the IPv4 address {embedded} it embeds" if inner else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private network", address.is_private),
        ("reserved", address.is_reserved),
        ("shared address space", isinstance(address, ipaddress.IPv4Address) and address in _SHARED),
        ("not a global address", not address.is_global),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None


def default_resolver(host: str) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order, without repeats."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def ascii_host(host: str) -> str:
    """A host name as it is resolved: lower case, no final dot, IDNA (`actualité.fr` → `xn--…`)."""
    name = host.strip().strip("[]").lower().rstrip(".")
    try:
        return idna.encode(name, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return name


def parse_allow_hosts(raw: str | Iterable[str]) -> frozenset[str]:
    """The host names of the fetch_allow_hosts setting, in the form the socket layer sees."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return frozenset(ascii_host(item) for item in items if item.strip())


def vet_host(
    host: str, resolver: Resolver, *, allow_private: bool, allow_hosts: frozenset[str]
) -> list[str]:
    """The addresses of `host` that may be contacted; raises BlockedAddress when any is refused.

    Every address must pass: a name that mixes public and private records is refused, so an
    attacker cannot win by adding a private record next to a public one.
    """
    name = ascii_host(host)
    literal = literal_ip(name)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            answers = resolver(name)
        except UnicodeError as exc:  # a label too long or not encodable: no such host
            raise OSError(f"invalid host name {host!r}: {exc}") from None
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in answers]
        except ValueError as exc:
            raise BlockedAddress(host, "?", f"resolver gave an invalid address: {exc}") from None
        if not addresses:
            raise OSError(f"no address found for {host}")
    if allow_private or name in allow_hosts:
        return [str(a) for a in addresses]
    for address in addresses:
        reason = refusal_reason(address)
        if reason is not None:
            raise BlockedAddress(host, str(address), reason)
    return [str(a) for a in addresses]
