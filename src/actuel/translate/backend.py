"""What every translation backend offers (a `Translator`), and the route from one language to
another: direct when the backend has the pair, through English when it has both halves."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from actuel.errors import TranslationRefused

PIVOT = "en"


class Translator(Protocol):
    """A backend: translates texts from one language into another, in order, one for one."""

    name: str  # "libretranslate", "ctranslate2": remembered beside every translation

    def pairs(self) -> Collection[tuple[str, str]]:
        """The (source, target) pairs it translates directly (ISO 639-1 codes)."""
        ...

    def model(self, source: str, target: str) -> str:
        """Which model translates this pair (a folder, a server's name): kept with the result."""
        ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts translated, in order. Raises TranslatorUnavailable (try later) or
        TranslationRefused (these texts or this pair will not be translated)."""
        ...

    def close(self) -> None:
        """Let go of connections or models."""
        ...


@dataclass(frozen=True)
class Route:
    """The hops from a source language to a target: one, or two through English."""

    hops: tuple[tuple[str, str], ...]

    @property
    def pivoted(self) -> bool:
        return len(self.hops) > 1


def route(pairs: Collection[tuple[str, str]], source: str, target: str) -> Route | None:
    """The direct pair when there is one, else source → English → target; None when neither."""
    if (source, target) in pairs:
        return Route(((source, target),))
    through = (source, PIVOT) in pairs and (PIVOT, target) in pairs
    if through and PIVOT not in (source, target):
        return Route(((source, PIVOT), (PIVOT, target)))
    return None


def route_models(translator: Translator, source: str, target: str) -> str:
    """The model(s) of the route from `source` to `target` ("opus-de-en+opus-en-fr"), or ""."""
    found = route(translator.pairs(), source, target)
    if found is None:
        return ""
    return "+".join(translator.model(a, b) for a, b in found.hops)


def translate_by_route(
    translator: Translator, texts: Sequence[str], source: str, target: str
) -> tuple[list[str], str]:
    """The texts in `target` and the model(s) that made them ("opus-de-en+opus-en-fr")."""
    found = route(translator.pairs(), source, target)
    if found is None:
        raise TranslationRefused(
            f"{translator.name} translates neither {source}→{target} nor through {PIVOT}",
            fix=f"install a {source}-{target} model"
            + ("" if PIVOT in (source, target) else f", or {source}-{PIVOT} and {PIVOT}-{target}"),
        )
    current = list(texts)
    for hop_source, hop_target in found.hops:
        current = translator.translate(current, hop_source, hop_target)
    return current, route_models(translator, source, target)
