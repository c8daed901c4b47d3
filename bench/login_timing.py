"""Login answer time: unknown name vs wrong password vs right password, over a real server.

The login must not tell an attacker which names exist: an unknown name is checked against a
dummy argon2id hash, so all three cost about one hash. Prints the median of each beside the
anchor (one argon2id verify in this process) and the unknown/wrong ratio (goal: 0.8 to 1.25).

    python bench/login_timing.py [--rounds N]
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from actuel.accounts.passwords import hash_password, verify
from actuel.config import load_settings
from actuel.store import Store
from actuel.web.app import create_app

PASSWORD = "une-longue-phrase-de-passe"


@contextmanager
def running(app: Any) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def median_ms(client: httpx.Client, name: str, password: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        form = client.get("/admin/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token
        data = {"name": name, "password": password, "csrf_token": token.group(1)}
        started = time.perf_counter()
        client.post("/admin/login", data=data)
        times.append((time.perf_counter() - started) * 1000)
        client.cookies.clear()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)  # under the 10-failure limit per kind
    rounds = min(9, parser.parse_args().rounds)
    with tempfile.TemporaryDirectory() as folder:
        # the failed-login limit counts per address: a high one keeps it out of the figures
        settings = load_settings(
            environ={}, db=str(Path(folder) / "bench.db"), login_max_failures=1000
        )
        with Store.open(settings.db, settings) as store:
            store.users.create_admin("bench", hash_password(PASSWORD))
        stored = hash_password(PASSWORD)
        started = time.perf_counter()
        for _ in range(rounds):
            verify(stored, PASSWORD)
        anchor = (time.perf_counter() - started) * 1000 / rounds
        with running(create_app(settings)) as base, httpx.Client(base_url=base) as client:
            unknown = median_ms(client, "nobody", "wrong-password", rounds)
            wrong = median_ms(client, "bench", "wrong-password", rounds)
            right = median_ms(client, "bench", PASSWORD, rounds)
    print(f"anchor: one argon2id verify in-process  {anchor:7.1f} ms")
    print(f"login, unknown name                     {unknown:7.1f} ms (median of {rounds})")
    print(f"login, wrong password                   {wrong:7.1f} ms")
    print(f"login, right password                   {right:7.1f} ms")
    print(f"ratio unknown / wrong                   {unknown / wrong:7.2f} (goal 0.8 to 1.25)")


if __name__ == "__main__":
    main()
