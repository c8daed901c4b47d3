"""The demo world's corpus builds, is rich enough for the demo, and its manifest is up to date."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

import lxml.html
import pytest

from actuel.demo.build import MANIFEST_PATH, Resource, load_world, main, manifest_json, render_world
from actuel.demo.corpus import CORPUS_DIR, load_corpus
from actuel.demo.site import World
from actuel.errors import DemoCorpusError


@pytest.fixture(scope="module")
def world() -> World:
    return load_world()


def _text(resource: Resource) -> str:
    """A page as a browser reads it: ISO-8859-1 labels mean Windows-1252."""
    latin = "ISO-8859-1" in resource.content_type
    return resource.body.decode("cp1252" if latin else "utf-8")


def _bases(world: World) -> dict[str, str]:
    return {o.id: f"http://127.0.1.{n}:8000" for n, o in enumerate(world.outlets, 1)}


def test_world_is_big_and_varied_enough_for_the_demo(world: World) -> None:
    manifest = world.manifest()
    assert len(manifest["outlets"]) == 8
    assert len({o.template for o in world.outlets}) >= 6
    assert len(manifest["stories"]) >= 15
    # what `actuel demo` ingests: every article but those of the outlet whose feed is broken
    broken = {o.id for o in world.outlets if o.broken_feed}
    count = sum(a["outlet"] not in broken for a in manifest["articles"])
    assert count >= 70, f"{count} articles can be ingested: add reports to stories/*.toml"
    relations = Counter(a["relation"] for a in manifest["articles"])
    for kind in ("original", "independent", "rewrite", "translation", "copy", "excerpt"):
        assert relations[kind] > 0, f"no {kind} in the demo world"
    assert not any(a.get("synthetic") for a in manifest["articles"])
    assert sum(a["headline_only"] for a in manifest["articles"]) >= 3


def test_world_holds_follow_ups_and_look_alike_events(world: World) -> None:
    follow_ups = [a for a in world.follow_ups() if a.relation == "independent"]
    assert len({a.story for a in follow_ups}) >= 3, "stories that go on for days"
    first = {s.id: min(r.published for r in s.reports) for s in world.stories}
    # two dockers' strikes in two ports the same week: one word, two events
    strikes = [s for s in world.stories if "dockers" in s.title.lower()]
    assert len(strikes) == 2
    assert abs(first[strikes[0].id] - first[strikes[1].id]) < timedelta(days=7)


def test_manifest_records_where_every_text_came_from(world: World) -> None:
    manifest = world.manifest()
    articles = {a["id"]: a for a in manifest["articles"]}
    for article in articles.values():
        if article["relation"] in ("original", "independent"):
            assert article["derived_from"] is None
            assert article["original"] == article["id"]
        else:
            source = articles[article["derived_from"]]
            assert source["story"] == article["story"]
            assert datetime.fromisoformat(source["published"]) < datetime.fromisoformat(
                article["published"]
            )
            # a text ultimately comes from the story's original or from an independent report
            assert articles[article["original"]]["relation"] in ("original", "independent")
    for story in manifest["stories"]:
        assert articles[story["original"]]["relation"] == "original"
        assert set(story["articles"]) == {
            a for a, r in articles.items() if r["story"] == story["id"]
        }
    paths = Counter((a["outlet"], a["path"]) for a in manifest["articles"])
    assert max(paths.values()) == 1, "two articles share a URL"


def test_machine_translations_keep_english_fragments_in_brackets(world: World) -> None:
    machine = [a for a in world.articles if a.machine_translation and a.relation == "translation"]
    assert machine
    for article in machine:
        assert "[" in " ".join(article.paragraphs), article.id


def test_excerpts_are_cut_with_an_ellipsis_and_link_to_the_source(world: World) -> None:
    bases = _bases(world)
    sites = render_world(world, bases)
    by_id = {a.id: a for a in world.articles}
    excerpts = [a for a in world.articles if a.relation == "excerpt"]
    assert excerpts
    for article in excerpts:
        assert article.paragraphs[-1].endswith("…")
        source = by_id[article.derived_from or ""]
        assert len(" ".join(article.paragraphs)) < len(" ".join(source.paragraphs))
        html = _text(sites[article.outlet.id].resources[article.path])
        link = bases[source.outlet.id] + source.path
        assert f'<a href="{link}" rel="nofollow">Lire la suite sur {source.outlet.name}</a>' in (
            html.replace("&#39;", "'")
        )


def test_copies_repeat_the_source_text_in_another_template(world: World) -> None:
    by_id = {a.id: a for a in world.articles}
    copies = [a for a in world.articles if a.relation == "copy"]
    assert copies
    for copy in copies:
        source = by_id[copy.derived_from or ""]
        assert copy.outlet.template != source.outlet.template
        body = " ".join(copy.paragraphs)
        # the copy keeps the text; it may add a "Source :" line, drop or change the (AHP) credit
        for credit in (" (AHP)", " (avec agences)"):
            body = body.replace(credit, "")
        assert source.paragraphs[0].replace(" (AHP)", "")[:80] in body


def test_pages_carry_the_clutter_of_real_news_sites(world: World) -> None:
    sites = render_world(world, _bases(world))
    kalaba = next(a for a in world.articles if a.outlet.id == "kalaba-matin")
    page = _text(sites["kalaba-matin"].resources[kalaba.path])
    for junk in (
        "fbpx",
        "Partager sur Facebook",
        "WhatsApp",
        "cookie",
        "Laisser un commentaire",
        "Les champs obligatoires sont indiqués avec *",
        "Lire aussi",
        "Dernières nouvelles",
    ):
        assert junk in page, junk
    home_links = {oid: _text(site.resources["/"]).count("<a href=") for oid, site in sites.items()}
    for outlet_id, site in sites.items():
        rows = [a for a in world.articles if a.outlet.id == outlet_id and not a.headline_only]
        home = _text(site.resources["/"])
        for article in rows:
            assert article.path.replace("&", "&amp;") in home, (outlet_id, article.id)
        assert home_links[outlet_id] >= len(rows)


def test_headline_only_items_are_in_their_feed_whole_and_nowhere_else(world: World) -> None:
    bases = _bases(world)
    sites = render_world(world, bases)
    items = [a for a in world.articles if a.headline_only]
    assert {a.outlet.exposure for a in items} >= {"rss2", "atom", "rdf"}
    for article in items:
        site = sites[article.outlet.id]
        assert article.path not in site.resources, "its page must answer 404"
        assert site.feed_only[article.path] == article.id
        line = article.paragraphs[0]
        feed = _text(site.resources[article.outlet.source_path])
        assert bases[article.outlet.id] + article.path in feed.replace("&amp;", "&")
        assert escape(line, quote=False) in feed and "[…]" not in line
        listed = [_text(site.resources[p]) for p in ("/", "/sitemap.xml") if p in site.resources]
        assert all(article.path not in page for page in listed)


def test_every_outlet_has_its_own_page_layout(world: World) -> None:
    sites = render_world(world, _bases(world))
    layouts = {}
    for outlet in world.outlets:
        article = next(
            a for a in world.articles if a.outlet.id == outlet.id and not a.headline_only
        )
        tree = lxml.html.fromstring(_text(sites[outlet.id].resources[article.path]))
        layouts[outlet.id] = frozenset(
            f"{node.tag}.{node.get('class') or node.get('id') or ''}"
            for node in tree.iter("div", "main", "article", "header", "footer", "aside", "section")
        )
    assert len(set(layouts.values())) == len(layouts), "two outlets share a layout"


def test_rendering_is_deterministic(world: World) -> None:
    again = load_world()
    assert manifest_json(again) == manifest_json(world)
    first = render_world(world, _bases(world))
    second = render_world(again, _bases(again))
    for outlet_id, site in first.items():
        for path, resource in site.resources.items():
            assert second[outlet_id].resources[path].body == resource.body, (outlet_id, path)


def test_committed_manifest_equals_a_fresh_build(world: World) -> None:
    committed = MANIFEST_PATH.read_text(encoding="utf-8")
    assert committed == manifest_json(world), "run: python -m actuel.demo.build"
    assert json.loads(committed)["articles"][0]["path"].startswith("/")
    assert main(["--check"]) == 0


def test_build_command_writes_the_manifest(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    assert main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == MANIFEST_PATH.read_text(encoding="utf-8")
    assert main(["--check", "--output", str(target)]) == 0
    target.write_text("{}", encoding="utf-8")
    assert main(["--check", "--output", str(target)]) == 1


def _corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


def test_a_story_with_an_unknown_outlet_is_refused_naming_file_and_fix(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    story = sorted((corpus / "stories").glob("*.toml"))[0]
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace('outlet = "', 'outlet = "le-monde-imaginaire', 1), "utf-8")
    with pytest.raises(DemoCorpusError) as caught:
        load_corpus(corpus)
    message = str(caught.value)
    assert story.name in message and "unknown outlet" in message and "outlets.toml" in message


def test_a_derived_text_published_before_its_source_is_refused(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    (corpus / "stories" / "zz-bad.toml").write_text(
        """
id = "zz9"
slug = "x"
category = "sport"
title = "x"

[[reports]]
id = "zz9-a"
outlet = "ahp"
lang = "fr"
relation = "original"
published = "2026-11-20T08:00:00+01:00"
author = "A"
title = "A"
text = "Un."

[[reports]]
id = "zz9-b"
outlet = "echo-des-collines"
lang = "fr"
relation = "rewrite"
derived_from = "zz9-a"
published = "2026-11-20T07:00:00+01:00"
author = "B"
title = "B"
text = "Deux."
""",
        "utf-8",
    )
    with pytest.raises(DemoCorpusError, match=r"zz-bad\.toml.*published before its source"):
        load_corpus(corpus)


def test_broken_toml_is_reported_with_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus_copy(tmp_path)
    (corpus / "stories" / "zz-broken.toml").write_text('id = "zz8\n', "utf-8")
    assert main(["--corpus", str(corpus), "--output", str(tmp_path / "m.json")]) == 1
    err = capsys.readouterr().err
    assert "zz-broken.toml" in err and "not valid TOML" in err
    assert not (tmp_path / "m.json").exists()


def test_story_texts_follow_the_writing_rules(world: World) -> None:
    by_id = {a.id: a for a in world.articles}
    for article in world.articles:
        text = " ".join(article.paragraphs)
        if article.headline_only:
            assert len(article.paragraphs) == 1, f"{article.id}: one line"
            assert 12 <= len(text.split()) <= 50, f"{article.id}: 12–50 words"
        elif article.relation in ("original", "independent"):
            assert 180 <= len(text.split()) <= 350, f"{article.id}: 180–350 words"
            assert 4 <= len(article.paragraphs) <= 7, f"{article.id}: 4–7 paragraphs"
        if article.relation == "rewrite" and by_id[article.derived_from or ""].outlet.id == "ahp":
            assert "(AHP)" in text or "Agence Horizon Presse" in text, f"{article.id}: credit"
        if article.relation in ("rewrite", "translation"):
            assert article.outlet.id != by_id[article.derived_from or ""].outlet.id


def test_a_copy_into_another_language_is_refused(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    english, report = next(
        (s, r)
        for s in load_corpus(corpus).stories
        for r in s.reports
        if r.lang == "en" and not r.headline_only
    )
    story = corpus / "stories" / english.file
    story.write_text(
        story.read_text(encoding="utf-8")
        + f'\n[[derivatives]]\nof = "{report.id}"\noutlet = "portail-citoyen"\n'
        'kind = "copy"\ndelay_minutes = 30\n',
        "utf-8",
    )
    with pytest.raises(DemoCorpusError, match=rf"{english.file}.*cannot copy a en text"):
        load_corpus(corpus)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # a news sitemap carries titles only: there is no line to show
        (('"s15-courrier"\noutlet = "courrier-littoral"', '"s15-courrier"\noutlet = "ahp"'),
         "ahp (newssitemap) cannot list a headline-only item"),
        (('of = "s15-ahp"', 'of = "s15-courrier"'), "headline-only item, with no page to copy"),
    ],
)  # fmt: skip
def test_a_headline_only_item_that_cannot_be_served_is_refused(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    corpus = _corpus_copy(tmp_path)
    story = corpus / "stories" / "s15.toml"
    text = story.read_text(encoding="utf-8")
    assert change[0] in text
    story.write_text(text.replace(change[0], change[1]), "utf-8")
    with pytest.raises(DemoCorpusError) as caught:
        load_corpus(corpus)
    assert "s15.toml" in str(caught.value) and problem in str(caught.value)
