"""The token page caches watch: it moves when anything is committed, by this process or another."""

from __future__ import annotations

import pytest

from actuel.config import Settings
from actuel.model import Source
from actuel.store import Store
from tests.store.conftest import _postgres_ready, postgres_url  # noqa: F401 - fixtures


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(settings.db)


def test_a_commit_by_another_connection_moves_the_generation(
    database: str, settings: Settings
) -> None:
    settings = settings.replace(db=database)
    with (
        Store.open(database, settings) as writer,
        Store.open(database, settings, readonly=True) as reader,
    ):
        before = reader.site_generation()
        assert before is not None
        if writer.dialect == "sqlite":  # a PostgreSQL server may see other clients' commits
            assert reader.site_generation() == before  # reading changes nothing
            reader.list_sources()
            assert reader.site_generation() == before
        writer.add_source(Source(url="https://gazette.example/feed.xml", name="Gazette"))
        after = reader.site_generation()
        assert after != before
        # the writer's own view moves too: one process serving and ingesting
        assert writer.site_generation() is not None


def test_an_in_memory_database_cannot_tell(settings: Settings) -> None:
    with Store.open(":memory:", settings) as store:
        assert store.site_generation() is None
