"""Local translation models run by CTranslate2 on the CPU: one folder per pair under
translate_models_dir, found as they are installed, loaded when first needed.

Two layouts are read, as the tools that make them leave them:
- an OPUS-MT (Marian) model converted by CTranslate2's converter, in a folder named for its pair
  (`en-fr/`, or `opus-mt-en-fr/`), with the model's SentencePiece files beside it (`source.spm`,
  `target.spm`, or one `sentencepiece.model` for both);
- an unpacked Argos Translate package (`metadata.json` naming `from_code` and `to_code`, the
  CTranslate2 model in `model/`, `sentencepiece.model`).
The tokenization and model loading are the libraries' own; what is ours is finding the folders,
the batching and the bounds (input and output lengths), which no library does for us.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actuel.config import Settings
from actuel.errors import ConfigError, TranslationRefused

log = logging.getLogger("actuel.translate")

EXTRA = "pip install 'actuel[translate]'"
MAX_INPUT_TOKENS = 256  # a title or a lead; longer texts are cut (a model's own limit is ~512)
MAX_LOADED = 4  # models kept in memory at once (each a few hundred MB for OPUS-MT)
_PAIR_NAME = re.compile(r"^(?:opus-mt-)?([a-z]{2,3})-([a-z]{2,3})$")


@dataclass(frozen=True)
class InstalledModel:
    """A model folder found under translate_models_dir, and the pair it translates."""

    source: str
    target: str
    name: str  # the folder's name, remembered with each translation
    model_dir: Path  # the CTranslate2 model (model.bin, config.json, vocabularies)
    source_spm: Path
    target_spm: Path


def _spm_files(folder: Path) -> tuple[Path, Path] | None:
    shared = folder / "sentencepiece.model"
    source, target = folder / "source.spm", folder / "target.spm"
    if source.is_file() and target.is_file():
        return source, target
    if shared.is_file():
        return shared, shared
    return None


def _read_folder(folder: Path) -> InstalledModel | None:
    """The model a folder holds, or None when it is not one of the two layouts."""
    metadata = folder / "metadata.json"
    if metadata.is_file() and (folder / "model" / "model.bin").is_file():  # Argos Translate
        try:
            meta = json.loads(metadata.read_text(encoding="utf-8"))
            source, target = str(meta["from_code"]).lower(), str(meta["to_code"]).lower()
        except (ValueError, KeyError, TypeError):
            log.warning("%s: metadata.json names no from_code and to_code; skipped", folder)
            return None
        spm = _spm_files(folder)
        if spm is None:
            return None
        return InstalledModel(source, target, folder.name, folder / "model", *spm)
    named = _PAIR_NAME.match(folder.name.lower())
    if named and (folder / "model.bin").is_file():  # a converted OPUS-MT model
        spm = _spm_files(folder)
        if spm is None:
            log.warning("%s: no source.spm/target.spm or sentencepiece.model; skipped", folder)
            return None
        return InstalledModel(named.group(1), named.group(2), folder.name, folder, *spm)
    return None


def installed_models(models_dir: Path) -> list[InstalledModel]:
    """Every model folder directly under `models_dir`, by name; one per pair (the first)."""
    if not models_dir.is_dir():
        return []
    found: dict[tuple[str, str], InstalledModel] = {}
    for folder in sorted(p for p in models_dir.iterdir() if p.is_dir()):
        model = _read_folder(folder)
        if model is not None:
            found.setdefault((model.source, model.target), model)
    return list(found.values())


class _Loaded:
    """A model in memory: the CTranslate2 translator and its two tokenizers."""

    def __init__(self, model: InstalledModel, threads: int) -> None:
        import ctranslate2
        import sentencepiece

        try:
            self.translator = ctranslate2.Translator(
                str(model.model_dir), device="cpu", inter_threads=1, intra_threads=threads
            )
            self.source = sentencepiece.SentencePieceProcessor(model_file=str(model.source_spm))
            self.target = sentencepiece.SentencePieceProcessor(model_file=str(model.target_spm))
        except (RuntimeError, OSError, ValueError) as exc:
            raise ConfigError(
                f"the translation model {model.model_dir} cannot be loaded: {exc}",
                fix="convert it again with CTranslate2's converter (README, Translation), or "
                "remove the folder",
            ) from exc


class LocalModels:
    """The `ctranslate2` backend: the models installed under translate_models_dir."""

    name = "ctranslate2"

    def __init__(self, models_dir: Path, *, batch: int = 16, threads: int = 1) -> None:
        try:
            import ctranslate2  # noqa: F401
            import sentencepiece  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                "the ctranslate2 backend needs CTranslate2 and SentencePiece",
                fix=f"{EXTRA}, or set ACTUEL_TRANSLATE_BACKEND=none",
            ) from exc
        self.models_dir = models_dir
        self.batch = max(1, batch)
        self.threads = max(1, threads)
        self._models = {(m.source, m.target): m for m in installed_models(models_dir)}
        self._loaded: OrderedDict[tuple[str, str], _Loaded] = OrderedDict()
        self._lock = threading.Lock()
        if not self._models:
            log.warning(
                "no translation model under %s: articles stay in their language", models_dir
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalModels:
        return cls(
            Path(str(settings.translate_models_dir)).expanduser(),
            batch=int(settings.translate_batch),
        )

    def installed(self) -> list[InstalledModel]:
        return list(self._models.values())

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self._models)

    def model(self, source: str, target: str) -> str:
        found = self._models.get((source, target))
        return found.name if found else ""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts translated by the pair's model, in batches; empty texts stay empty."""
        found = self._models.get((source, target))
        if found is None:
            raise TranslationRefused(
                f"no {source}-{target} model under {self.models_dir}",
                fix=f"install one as {self.models_dir / f'{source}-{target}'} (README)",
            )
        loaded = self._load(found)
        out = [""] * len(texts)
        todo = [(i, t) for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), self.batch):
            chunk = todo[start : start + self.batch]
            tokens = [loaded.source.encode(t, out_type=str)[:MAX_INPUT_TOKENS] for _, t in chunk]
            results: list[Any] = loaded.translator.translate_batch(
                tokens,
                beam_size=2,
                max_decoding_length=min(512, 2 * max(len(t) for t in tokens) + 10),
                max_input_length=MAX_INPUT_TOKENS,
            )
            for (index, _), result in zip(chunk, results, strict=True):
                out[index] = str(loaded.target.decode(result.hypotheses[0])).strip()
        return out

    def _load(self, model: InstalledModel) -> _Loaded:
        key = (model.source, model.target)
        with self._lock:
            if key in self._loaded:
                self._loaded.move_to_end(key)
                return self._loaded[key]
            loaded = _Loaded(model, self.threads)
            self._loaded[key] = loaded
            while len(self._loaded) > MAX_LOADED:
                self._loaded.popitem(last=False)
            log.info("translation model loaded", extra={"model": model.name})
            return loaded

    def close(self) -> None:
        with self._lock:
            self._loaded.clear()
