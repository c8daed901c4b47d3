"""Page data read from the store, kept until the store's generation moves (pages changed)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, MutableMapping
from typing import Any, TypeVar, cast

from actuel.errors import StoreError

T = TypeVar("T")
LOOKED = "actuel.generation"  # where a request keeps the generation it was answered in
MISSING: Any = object()  # what kept() answers for a value it does not hold
MAX_ENTRIES = 512  # a story page's data holds its members' texts: bound what one process keeps


class GenerationMemo:
    """Values computed from the store, dropped together as soon as what pages show changes.

    The generation token moves with every write that changes pages, by any process (`actuel
    fetch` from cron included), so a kept value is never older than the database. A store that
    cannot tell its generation (in-memory SQLite) keeps nothing."""

    def __init__(self, generation: Callable[[], str | None], max_entries: int = MAX_ENTRIES):
        self._generation = generation
        self._max = max(0, max_entries)
        self._lock = threading.Lock()  # sync routes run in a thread pool
        self._seen: str | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        looked: MutableMapping[str, Any] | None = None,
    ) -> T:
        """The value kept under `key` for the current generation, else `compute()` kept.

        `looked`: a dict living as long as one request (its ASGI scope): the generation is
        asked once per request, however many values the page needs."""
        generation = self._current(looked)
        if generation is None:
            return compute()
        value = self.kept(key, looked)
        if value is not MISSING:
            return cast(T, value)
        value = compute()  # outside the lock: a slow query never holds other readers back
        with self._lock:
            if generation == self._seen and self._max:
                self._values[key] = value
                while len(self._values) > self._max:
                    self._values.popitem(last=False)
        return value

    def kept(self, key: Hashable, looked: MutableMapping[str, Any] | None = None) -> Any:
        """The value kept under `key` for the current generation, else MISSING."""
        generation = self._current(looked)
        if generation is None:
            return MISSING
        with self._lock:
            if generation != self._seen:
                self._values.clear()
                self._seen = generation
                return MISSING
            if key not in self._values:
                return MISSING
            self._values.move_to_end(key)
            return self._values[key]

    def _current(self, looked: MutableMapping[str, Any] | None) -> str | None:
        if looked is not None and LOOKED in looked:
            return cast(str | None, looked[LOOKED])
        try:
            generation = self._generation()
        except StoreError:
            generation = None
        if looked is not None:
            looked[LOOKED] = generation
        return generation

    def __len__(self) -> int:
        return len(self._values)
