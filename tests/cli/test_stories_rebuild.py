"""`actuel stories rebuild`: an archive stored without stories is placed, oldest first."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from actuel.cli import main
from actuel.config import Settings, load_settings
from actuel.demo.build import load_world
from actuel.model import Article, Source, SourceKind
from actuel.store import Store

AGE = timedelta(days=400)  # the archive is a year old: far outside the ingest's window


def _import_archive(settings: Settings) -> dict[int, str]:
    """The demo world's articles stored as a year-old archive (no story), and one fresh article
    of today; stored article id -> manifest id."""
    world = load_world()
    ids: dict[int, str] = {}
    with Store.open(settings.db, settings) as store:
        sources: dict[str, Source] = {}
        for outlet in world.outlets:
            sources[outlet.id] = store.sources.add(
                Source(
                    url=f"https://{outlet.id}.example/feed",
                    name=outlet.name,
                    kind=SourceKind.FEED,
                    lang=outlet.lang,
                )
            )
        for a in world.articles:
            source_id = sources[a.outlet.id].id
            assert source_id is not None
            url = f"https://{a.outlet.id}.example{a.path}"
            when = a.published - AGE
            article = Article(
                source_id=source_id,
                url=url,
                canonical_url=url,
                title=a.title,
                text="\n\n".join(a.paragraphs),
                published_at=when,
                language=a.lang,
                first_seen_at=when,
            )
            ids[store.articles.upsert(article)[0]] = a.id
        today = datetime.now(UTC)
        fresh_source = next(iter(sources.values())).id
        assert fresh_source is not None
        store.articles.upsert(
            Article(
                source_id=fresh_source,
                url="https://fresh.example/today",
                canonical_url="https://fresh.example/today",
                title="Un article d'aujourd'hui",
                text="Rien à voir avec les archives de l'an passé, sinon la date.",
                published_at=today,
                language="fr",
                first_seen_at=today,
            )
        )
        assert store.articles.count_unplaced() == len(ids) + 1
    return ids


def _rebuild(settings: Settings, *args: str) -> str:
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": settings.db}
    result = CliRunner().invoke(main, ["stories", "rebuild", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_rebuild_places_an_archive_in_its_stories_and_resumes(tmp_path: Path) -> None:
    settings = load_settings(environ={}, db=str(tmp_path / "archive.db"), stories_encoder="none")
    ids = _import_archive(settings)
    world = load_world()
    truth = {a.id: a for a in world.articles}
    by_manifest = {m: i for i, m in ids.items()}
    middle = min(a.published for a in world.articles) - AGE + timedelta(days=4)

    # part of the archive first (an interrupted or partial run), then the rest
    first = _rebuild(settings, "--since", middle.strftime("%Y-%m-%d"))
    with Store.open(settings.db, settings) as store:
        left = store.articles.count_unplaced()
        assert 0 < left < len(ids)
        assert store.articles.count_unplaced(middle.replace(hour=0, minute=0)) == 0
    assert f"placed {len(ids) + 1 - left:,} articles" in first

    _rebuild(settings)
    with Store.open(settings.db, settings) as store:
        assert store.articles.count_unplaced() == 0
        stories: dict[str, set[str]] = defaultdict(set)  # story key -> manifest ids
        derived: dict[str, str | None] = {}
        for article_id, manifest_id in ids.items():
            found = store.stories.of_article(article_id)
            assert found is not None
            view, member = found
            stories[view.key].add(manifest_id)
            derived[manifest_id] = ids.get(member.derived_from or 0)
        # the archive's stories are the manifest's: none mixes two, few are split (the
        # headline-only items and follow-ups days later are the quality gate's business)
        for members in stories.values():
            assert len({truth[m].story for m in members}) == 1, members
        hard = world.hard_to_place()
        assert len([m for m in stories.values() if m - hard]) <= len(world.stories) + 3
        # a copy of a translation derives from the translation, and s08 credits its first report
        assert derived["s08-echo-des-collines"] == "s08-kalaba"
        s08 = store.stories.of_article(by_manifest["s08-meridian"])
        assert s08 is not None and s08[0].original_article_id == by_manifest["s08-meridian"]

    # nothing left: a rerun places nothing and changes nothing
    again = _rebuild(settings)
    assert "placed 0 articles" in again
