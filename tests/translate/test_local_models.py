"""The ctranslate2 backend on tiny models built by the test (random weights, nonsense output,
real CTranslate2 and SentencePiece: tests/support/tiny_translation_model.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2", reason="the ctranslate2 backend needs actuel[translate]")

from click.testing import CliRunner

from actuel.cli import main
from actuel.errors import ConfigError, TranslationRefused
from actuel.pipeline.translation import open_translator, translate_pending
from actuel.store import Store
from actuel.translate.backend import translate_by_route
from actuel.translate.local import LocalModels, installed_models
from tests.support.tiny_translation_model import build_argos_package, build_model
from tests.web.demo_site import DemoSite


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    build_model(root / "en-fr", seed=1)
    build_model(root / "opus-mt-de-en", seed=2)
    build_argos_package(root / "translate-es_en-1_0", "es", "en", seed=3)
    (root / "notes").mkdir()  # not a model: ignored
    broken = root / "it-en"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"\x00" * 10)  # no tokenizer: skipped, with a warning
    return root


def test_both_layouts_are_found_and_other_folders_ignored(models_dir: Path) -> None:
    found = {(m.source, m.target): m.name for m in installed_models(models_dir)}
    assert found == {
        ("en", "fr"): "en-fr",
        ("de", "en"): "opus-mt-de-en",
        ("es", "en"): "translate-es_en-1_0",
    }
    assert installed_models(models_dir / "missing") == []


def test_texts_come_back_one_for_one_in_batches_and_the_same_text_gives_the_same_output(
    models_dir: Path,
) -> None:
    backend = LocalModels(models_dir, batch=2)
    texts = ["The mine collapsed.", "", "Rescue teams are searching.", "The mine collapsed.", "  "]
    out = backend.translate(texts, "en", "fr")
    assert len(out) == len(texts)
    assert out[1] == "" and out[4] == ""
    assert out[0] and out[2] and out[3]
    assert backend.translate(texts, "en", "fr") == out, "the same texts, the same output"
    assert backend.model("en", "fr") == "en-fr"


def test_a_pair_without_a_model_goes_through_english(models_dir: Path) -> None:
    backend = LocalModels(models_dir)
    out, model = translate_by_route(backend, ["Die Regierung kündigte Maßnahmen an."], "de", "fr")
    assert model == "opus-mt-de-en+en-fr" and len(out) == 1
    argos, model = translate_by_route(backend, ["El presidente visitó la región."], "es", "fr")
    assert model == "translate-es_en-1_0+en-fr" and len(argos) == 1
    with pytest.raises(TranslationRefused, match="neither fr→de nor through en"):
        translate_by_route(backend, ["Bonjour"], "fr", "de")
    with pytest.raises(TranslationRefused, match="no fr-de model"):
        backend.translate(["Bonjour"], "fr", "de")


def test_a_huge_text_is_cut_to_the_models_bound(models_dir: Path) -> None:
    backend = LocalModels(models_dir)
    started = time.perf_counter()
    out = backend.translate(["The mine collapsed. " * 250_000], "en", "fr")  # 5 MB
    assert len(out) == 1 and len(out[0]) < 5_000
    assert time.perf_counter() - started < 60


def test_a_model_that_cannot_be_loaded_names_its_folder(tmp_path: Path) -> None:
    folder = build_model(tmp_path / "en-fr")
    (folder / "model.bin").write_bytes(b"not a model")
    backend = LocalModels(tmp_path)
    with pytest.raises(ConfigError, match=str(folder)):
        backend.translate(["The mine collapsed."], "en", "fr")


def test_actuel_translate_models_lists_routes_for_the_stored_languages(
    models_dir: Path, tmp_path: Path
) -> None:
    env = {
        "ACTUEL_DB": str(tmp_path / "empty.db"),
        "ACTUEL_TRANSLATE_BACKEND": "ctranslate2",
        "ACTUEL_TRANSLATE_MODELS_DIR": str(models_dir),
    }
    assert CliRunner().invoke(main, ["sources", "list"], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["translate", "models"], env=env)
    assert result.exit_code == 0, result.output
    assert "en-fr" in result.output and "opus-mt-de-en" in result.output


def test_the_demo_is_translated_by_local_models_and_labelled(
    models_dir: Path, demo_site: DemoSite, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    with Store.open(demo_site.settings.db, demo_site.settings, readonly=True) as store:
        store.maintenance.backup(str(target))
    settings = demo_site.settings.replace(
        db=str(target), translate_backend="ctranslate2", translate_models_dir=str(models_dir)
    )
    translator = open_translator(settings)
    assert isinstance(translator, LocalModels)
    with Store.open(settings.db, settings) as store:
        report = translate_pending(store, translator, ["fr"])
        views = store.stories.latest(limit=500)
        made = store.translations.of_articles(range(1, 10_000), "fr")
    assert report.translated > 0 and report.paused is None
    english_only = [v for v in views if v.language == "en" and "fr" not in v.languages]
    assert english_only
    for view in english_only:
        shown = view.headline("fr")
        assert shown.translated_from == "en" and shown.language == "fr", view.key
    assert made and {(t.source_lang, t.backend, t.model) for t in made} == {
        ("en", "ctranslate2", "en-fr")
    }
