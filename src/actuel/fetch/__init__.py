"""Fetch stage: the only HTTP client of actuel (SSRF guard, caps, deadline, politeness, robots)."""

from actuel.fetch.client import Fetcher
from actuel.fetch.guard import default_resolver, literal_ip, refusal_reason
from actuel.fetch.politeness import host_key, parse_retry_after

__all__ = [
    "Fetcher",
    "default_resolver",
    "host_key",
    "literal_ip",
    "parse_retry_after",
    "refusal_reason",
]
