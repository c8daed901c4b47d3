"""Rate limits (comments, admin login) hold under a flood of addresses, in bounded memory."""

from __future__ import annotations

import tracemalloc

from actuel.web.security import RateLimiter


def _address(n: int) -> str:
    return f"2001:db8::{n:x}"


def test_a_flood_of_distinct_addresses_keeps_memory_bounded_and_limits_holding() -> None:
    limiter = RateLimiter(limit=3, window_s=60.0, max_keys=500)
    for moment in (0.0, 0.1, 0.2):
        limiter.hit("attacker", now=moment)
    assert limiter.blocked("attacker", now=0.3)
    tracemalloc.start()
    try:
        settled = 0
        for n in range(50_000):  # all within one window: none is quiet yet
            moment = 1.0 + n / 1e5
            limiter.hit(_address(n), now=moment)
            if n % 100 == 0:  # the blocked address keeps trying, and stays refused
                assert limiter.blocked("attacker", now=moment)
                assert len(limiter) <= 500
            if n == 2_000:  # the cap reached
                settled, _peak = tracemalloc.get_traced_memory()
        flooded, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(limiter) <= 500
    assert flooded - settled < 64 * 1024  # 48,000 more addresses, no more memory
    # an address of the flood is limited like any other
    for moment in (2.0, 2.1):
        limiter.hit(_address(49_999), now=moment)
    assert limiter.blocked(_address(49_999), now=2.2)
    assert not limiter.blocked(_address(49_998), now=2.2)
    # and the window still ends
    assert not limiter.blocked("attacker", now=61.0)


def test_one_address_hammering_keeps_only_what_its_limit_needs() -> None:
    limiter = RateLimiter(limit=5, window_s=60.0)
    limiter.hit("192.0.2.7", now=0.0)
    tracemalloc.start()
    try:
        before, _peak = tracemalloc.get_traced_memory()
        for n in range(1, 100_000):
            limiter.hit("192.0.2.7", now=n / 1e4)
        after, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - before < 4 * 1024
    assert limiter.blocked("192.0.2.7", now=10.0)
    assert not limiter.blocked("192.0.2.7", now=70.0)  # its last hit was at 10 s


def test_checking_an_address_never_adds_it() -> None:
    limiter = RateLimiter(limit=2, window_s=60.0, max_keys=10)
    for n in range(1_000):
        assert not limiter.blocked(_address(n), now=float(n))
    assert len(limiter) == 0
