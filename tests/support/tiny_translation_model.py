"""Tiny CTranslate2 translation models built in the test run: random weights and a SentencePiece
vocabulary trained on a few sentences. Their output is nonsense, but loading, tokenizing,
batching, pivoting and errors go through the real engines. No real model can be downloaded here.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

SENTENCES = [
    "The mine collapsed in the north and eleven miners were killed.",
    "Rescue teams are searching the flooded galleries.",
    "Le ministre a démissionné hier soir à Yaoundé.",
    "Grève des enseignants à Douala depuis lundi.",
    "Die Regierung kündigte neue Maßnahmen an.",
    "El presidente visitó la región afectada.",
] * 10


def _sentencepiece(vocab_size: int = 80) -> bytes:
    import sentencepiece

    out = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES),
        model_writer=out,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return out.getvalue()


def _shape(name: str, vocab: int, width: int, ffn: int) -> tuple[int, ...]:
    if name.endswith(("embeddings/weight", "embeddings_0/weight", "projection/weight")):
        return (vocab, width)
    if "layer_norm" in name:
        return (width,)
    if "self_attention/linear_0" in name:
        return (3 * width, width)  # query, key and value of self-attention, fused
    if "/attention/linear_1" in name:
        return (2 * width, width)  # key and value of the decoder's attention to the source
    if "ffn/linear_0" in name:
        return (ffn, width)
    if "ffn/linear_1" in name:
        return (width, ffn)
    return (width, width)


def _set(spec: object, path: str, value: np.ndarray) -> None:
    target = spec
    parts = path.split("/")
    for part in parts[:-1]:
        base, _, index = part.rpartition("_")
        items = getattr(target, base, None) if index.isdigit() else None
        target = items[int(index)] if isinstance(items, list) else getattr(target, part)
    setattr(target, parts[-1], value)


def build_model(folder: Path, *, seed: int = 0, width: int = 16) -> Path:
    """A converted-OPUS-MT-like folder: model.bin, config.json, vocabulary, source/target.spm."""
    import sentencepiece
    from ctranslate2 import specs

    proto = _sentencepiece()
    processor = sentencepiece.SentencePieceProcessor(model_proto=proto)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = ["<unk>", "<s>", "</s>"] + [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]
    spec = specs.TransformerSpec.from_config((1, 1), 2)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables(ordered=True):
        if value is not None:
            continue
        shape = _shape(name, len(vocab), width, 2 * width)
        weights = (rng.standard_normal(shape) * 0.3).astype(np.float32)
        if name.endswith("gamma"):
            weights = np.ones(shape, np.float32)
        elif name.endswith("beta"):
            weights = np.zeros(shape, np.float32)
        _set(spec, name, weights)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))
    (folder / "source.spm").write_bytes(proto)
    (folder / "target.spm").write_bytes(proto)
    return folder


def build_argos_package(folder: Path, source: str, target: str, *, seed: int = 0) -> Path:
    """An unpacked Argos Translate package: metadata.json, model/, sentencepiece.model."""
    build_model(folder / "model", seed=seed)
    (folder / "model" / "source.spm").rename(folder / "sentencepiece.model")
    (folder / "model" / "target.spm").unlink()
    (folder / "metadata.json").write_text(
        json.dumps({"package_version": "1.0", "from_code": source, "to_code": target}),
        encoding="utf-8",
    )
    return folder
