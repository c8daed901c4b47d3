"""The machine-translation flag (enrich/machine_translation.py) on real translations: WMT21
French originals, each with a professional German translation and nine machine ones, and the
portal page of ../shared/portal-page.

    python bench/machine_translation.py

Precision and recall of the flag over every translation, with 95% intervals from resampling the
documents; since machines outnumber humans nine to one here, precision is also printed as it would
be were they one to one (each machine translation weighing 1/9), beside the share of human
translations flagged. Each sign is shown alone, with the source text held (which words were left
untranslated) and without it (what a page whose original we do not hold shows). Anchor: a flag
raised on every translation (recall 1, precision the machines' share).
"""

from __future__ import annotations

import random
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import SHARED

from actuel.enrich.machine_translation import MachineSigns, machine_signs

RESAMPLES = 1000


@dataclass
class Judged:
    doc: str
    machine: bool
    signs: MachineSigns
    signs_without_source: MachineSigns


def _text(element: ET.Element) -> str:
    return "\n".join(seg.text or "" for seg in element.iter("seg"))


def judge(path: Path) -> list[Judged]:
    judged = []
    for doc in ET.parse(path).getroot().iter("doc"):
        source = doc.find("src")
        assert source is not None
        original = _text(source)
        candidates = [(False, doc.find("ref"))] + [(True, h) for h in doc.findall("hyp")]
        for machine, element in candidates:
            assert element is not None
            text = _text(element)
            judged.append(
                Judged(
                    str(doc.get("id")),
                    machine,
                    machine_signs(text, "de", original, "fr"),
                    machine_signs(text, "de", None, "fr"),
                )
            )
    return judged


def scores(rows: list[tuple[bool, bool]]) -> tuple[float, float, float, float]:
    """(precision, recall, precision one to one, share of humans flagged) of (machine, flagged)."""
    tp = sum(1 for m, f in rows if m and f)
    fp = sum(1 for m, f in rows if not m and f)
    machines = sum(1 for m, _ in rows if m)
    humans = len(rows) - machines
    ratio = humans / machines if machines else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    balanced = tp * ratio / (tp * ratio + fp) if tp + fp else 0.0
    return precision, tp / machines if machines else 0.0, balanced, fp / humans if humans else 0.0


def interval(judged: list[Judged], flag, index: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    docs = sorted({j.doc for j in judged})
    by_doc: dict[str, list[Judged]] = {}
    for j in judged:
        by_doc.setdefault(j.doc, []).append(j)
    rng = random.Random(0)
    values = []
    for _ in range(RESAMPLES):
        sample = [j for d in rng.choices(docs, k=len(docs)) for j in by_doc[d]]
        values.append(scores([(j.machine, flag(j)) for j in sample])[index])
    values.sort()
    return values[int(0.025 * RESAMPLES)], values[int(0.975 * RESAMPLES) - 1]


def report(name: str, judged: list[Judged], flag) -> None:  # type: ignore[no-untyped-def]
    precision, recall, balanced, humans = scores([(j.machine, flag(j)) for j in judged])
    p_low, p_high = interval(judged, flag, 0)
    r_low, r_high = interval(judged, flag, 1)
    print(
        f"{name:<38} precision {precision:.3f} [{p_low:.3f}-{p_high:.3f}]  recall {recall:.3f} "
        f"[{r_low:.3f}-{r_high:.3f}]  one-to-one precision {balanced:.3f}  humans flagged "
        f"{humans:.3f}"
    )


def main() -> None:
    if SHARED is None:
        sys.exit("../shared not found (set ACTUEL_SHARED): the evaluation data lives there")
    judged = judge(SHARED / "corpora" / "wmt21-fr-de" / "newstest2021.fr-de.all.xml")
    machines = sum(j.machine for j in judged)
    print(
        f"WMT21 fr→de: {len({j.doc for j in judged})} documents, {len(judged) - machines} human "
        f"and {machines} machine translations"
    )
    report("flag (source text held)", judged, lambda j: j.signs.likely)
    report("flag (original not held)", judged, lambda j: j.signs_without_source.likely)
    report("  sign: bracketed leftover", judged, lambda j: bool(j.signs.leftovers))
    report("  sign: >= 1 untranslated run", judged, lambda j: bool(j.signs.untranslated))
    report("  sign: source's quotes kept", judged, lambda j: j.signs.quotes_kept)
    report(
        "  leftover, 2 runs, or 1 run + quotes",
        judged,
        lambda j: (
            bool(j.signs.leftovers)
            or len(set(j.signs.untranslated)) >= 2
            or (bool(j.signs.untranslated) and j.signs.quotes_kept)
        ),
    )
    report("anchor: every translation flagged", judged, lambda j: True)
    page = (SHARED / "portal-page" / "page.txt").read_text(encoding="utf-8")
    signs = machine_signs(page, "fr")
    print(
        f"portal page (French, original not held): flagged {signs.likely}; leftovers "
        f"{', '.join(signs.leftovers) or 'none'}"
    )


if __name__ == "__main__":
    main()
