"""Language identification: accuracy and docs/s of py3langid and lingua on French, English and eight
other languages, short (title-length) and long texts, from ../shared/corpora.

    python bench/language.py [--per-language N]

Texts: semeval2022t8-train (10 languages, title + body, sides that were not machine-translated) and
wmt21-fr-de (French originals, German references: sentences as short texts, documents as long ones).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
LONG_CHARS = 2000
SHORT_CHARS = 80


def _short(text: str) -> str:
    title = text.split("  ", 1)[0].strip()
    if 15 <= len(title) <= 150:
        return title
    return text[:SHORT_CHARS].rsplit(" ", 1)[0]


def load(per_language: int) -> dict[str, list[tuple[str, str]]]:
    """{"short"|"long": [(language, text), ...]}, at most per_language texts per language each."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    # machine-translated bodies: long texts only
    translated: dict[str, list[str]] = defaultdict(list)
    csv.field_size_limit(sys.maxsize)
    semeval = CORPORA / "semeval2022t8-train" / "training_set.csv"
    if semeval.is_file():
        with semeval.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                ids = row["pair_id"].split("_")
                for side, pid in zip("12", ids, strict=False):
                    text = row[f"text{side}"].strip()
                    if len(text) <= 200:
                        continue
                    if pid.isdigit():
                        by_lang[row[f"lang{side}"]].append(text)
                    elif len(text) > 600:  # the title may be left in the source language
                        translated[row[f"lang{side}"]].append(text[200:])
    wmt = CORPORA / "wmt21-fr-de" / "newstest2021.fr-de.all.xml"
    wmt_short: list[tuple[str, str]] = []
    if wmt.is_file():
        root = ET.parse(wmt).getroot()
        for doc in root.iter("doc"):
            for tag, lang in (("src", "fr"), ("ref", "de")):
                segs = [s.text or "" for s in doc.find(tag).iter("seg")]  # type: ignore[union-attr]
                by_lang[lang].append("\n".join(segs))
                wmt_short += [(lang, s) for s in segs if 20 <= len(s) <= 150]
    rng = random.Random(0)
    long_set: list[tuple[str, str]] = []
    short_set: list[tuple[str, str]] = []
    for lang in sorted(by_lang.keys() | translated.keys()):
        unique = sorted(set(by_lang[lang]))
        rng.shuffle(unique)
        chosen = unique[:per_language]
        short_set += [(lang, _short(t)) for t in chosen]
        bodies = sorted(set(translated[lang]))
        rng.shuffle(bodies)
        chosen += bodies[: per_language - len(chosen)]
        long_set += [(lang, t[:LONG_CHARS]) for t in chosen]
    rng.shuffle(wmt_short)
    short_set += wmt_short[: per_language * 2]
    return {"short": short_set, "long": long_set}


LANGS = "fr en de es it pt nl ca eu ar ru zh ja tr pl uk ro el sv da".split()  # noqa: SIM905


def py3langid_full() -> Callable[[str], str | None]:
    import py3langid

    return lambda text: str(py3langid.classify(text)[0])


def py3langid_restricted() -> Callable[[str], str | None]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(LANGS)
    return lambda text: str(identifier.classify(text)[0])


def _lingua(low: bool) -> Callable[[str], str | None]:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(
        *[getattr(IsoCode639_1, code.upper()) for code in LANGS]
    )
    if low:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def actuel_detect() -> Callable[[str], str | None]:
    from actuel.enrich import detect_language

    return lambda text: detect_language(text)


CANDIDATES: dict[str, Callable[[], Callable[[str], str | None]]] = {
    "py3langid (97 languages)": py3langid_full,
    "py3langid (20 languages)": py3langid_restricted,
    "lingua high (20 languages)": lambda: _lingua(low=False),
    "lingua low (20 languages)": lambda: _lingua(low=True),
    "actuel detect_language": actuel_detect,
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_one(name: str, sets: dict[str, list[tuple[str, str]]]) -> None:
    detect = CANDIDATES[name]()
    detect("warm up: charger les modèles une fois")
    for kind, items in sets.items():
        hits: dict[str, list[bool]] = defaultdict(list)
        started = time.perf_counter()
        for lang, text in items:
            hits[lang].append(detect(text) == lang)
        elapsed = time.perf_counter() - started
        every = [h for v in hits.values() for h in v]

        def rate(values: list[bool]) -> float:
            return sum(values) / len(values) if values else float("nan")

        print(
            f"{name:28} {kind:5} {rate(every):6.3f} {rate(hits['fr']):6.3f} "
            f"{rate(hits['en']):6.3f} {len(items) / elapsed:9.0f} {_rss_mb():7.0f}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-language", type=int, default=40)
    parser.add_argument("--only", default=None, help="one candidate's name (runs in this process)")
    args = parser.parse_args()
    if args.only:
        _run_one(args.only, load(args.per_language))
        return 0
    sets = load(args.per_language)
    if not sets["long"]:
        print("corpora not found under", CORPORA, file=sys.stderr)
        return 2
    for kind, items in sets.items():
        langs = sorted({lang for lang, _ in items})
        print(f"{kind}: {len(items)} texts, languages {' '.join(langs)}")
    print("each detector runs in its own process; RSS MB is that process's peak")
    print(f"{'detector':28} {'set':5} {'all':>6} {'fr':>6} {'en':>6} {'docs/s':>9} {'RSS MB':>7}")
    for name in CANDIDATES:
        command = [
            sys.executable,
            __file__,
            "--only",
            name,
            "--per-language",
            str(args.per_language),
        ]
        subprocess.run(command, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
