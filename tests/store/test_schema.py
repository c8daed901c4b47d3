"""The migrations build exactly the tables and columns the queries use, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from actuel.config import Settings
from actuel.store import Store
from actuel.store.db import WRITE, create_engine
from actuel.store.migrate import MIGRATIONS, head_revision
from actuel.store.schema import metadata


def test_migrated_schema_matches_the_tables_the_store_queries(store: Store) -> None:
    with store._engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            migrated = {
                c["name"]: c["nullable"]
                for c in inspector.get_columns(table.name)
                if c["name"] != "search_vector"  # PostgreSQL's generated search column
            }
            declared = {c.name: c.nullable for c in table.columns}
            assert migrated == declared, table.name
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()


def test_downgrade_to_nothing_then_upgrade_again(db_url: str, settings: Settings) -> None:
    Store.open(db_url, settings).close()
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = conn
                command.downgrade(config, "base")
        leftover = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        assert leftover == set()
    finally:
        engine.dispose()
    with Store.open(db_url, settings) as store:
        assert store.search.hits("rien") == []
        assert store.maintenance.integrity_check() == []
