"""Search: French and English stemming, accent-insensitive, per article language; index rebuilt.

SQLite: the FTS5 table holds each column's search keys (store/stemming.py, called by the triggers
through the `actuel_search_keys` function every connection registers). PostgreSQL: Snowball
dictionaries without stop words after unaccent, chosen by the article's language in the generated
search_vector column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEARCH_CHARS = 200_000  # as in store/stemming.py: PostgreSQL caps a tsvector at 1 MB
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
# language code → (configuration, Snowball language); other languages use actuel_search
STEMMED = {"fr": ("actuel_fr", "french"), "en": ("actuel_en", "english")}
SQLITE_TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_downgrade()
    else:
        _sqlite_downgrade()


INDEX_NEW_ROW = """
  INSERT INTO articles_fts(rowid, title, summary, text, lang) VALUES (
    new.id,
    actuel_search_keys(new.title, new.language),
    actuel_search_keys(new.summary, new.language),
    actuel_search_keys(new.text, new.language),
    'lang' || coalesce(new.language, ''));
"""
SQLITE_INSERT = (
    "\nCREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN" + INDEX_NEW_ROW + "END"
)
SQLITE_DELETE = """
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  DELETE FROM articles_fts WHERE rowid = old.id;
END"""
# an upsert that changes nothing searchable must not cost a re-index
SQLITE_UPDATE = "".join(
    (
        """
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, text, language ON articles
WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary
  OR old.text IS NOT new.text OR old.language IS NOT new.language
BEGIN
  DELETE FROM articles_fts WHERE rowid = old.id;""",
        INDEX_NEW_ROW,
        "END",
    )
)
SQLITE_REBUILD = """
INSERT INTO articles_fts(rowid, title, summary, text, lang)
SELECT id,
  actuel_search_keys(title, language),
  actuel_search_keys(summary, language),
  actuel_search_keys(text, language),
  'lang' || coalesce(language, '')
FROM articles"""
# migration 0001's index, for the downgrade: unstemmed, over the articles table's own columns
OLD_SQLITE = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, summary, text, content='articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, summary, text)
  VALUES (new.id, new.title, coalesce(new.summary, ''), new.text);
END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, summary, text)
  VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.text);
END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, summary, text)
  VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.text);
  INSERT INTO articles_fts(rowid, title, summary, text)
  VALUES (new.id, new.title, coalesce(new.summary, ''), new.text);
END""",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)


def _sqlite_upgrade() -> None:
    _drop_sqlite_search()
    # the table keeps its keys (no contentless_delete before SQLite 3.43): a row is removed by
    # rowid, never by recomputing keys that a newer stemmer might compute differently
    # `lang` holds one token, `lang` + the article's language: the language filter is then a
    # MATCH term, answered by the index instead of the article rows (language sits behind the text)
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, summary, text, lang, tokenize='unicode61 remove_diacritics 2')"
    )
    for statement in (SQLITE_INSERT, SQLITE_DELETE, SQLITE_UPDATE, SQLITE_REBUILD):
        op.execute(statement)


def _drop_sqlite_search() -> None:
    for trigger in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")


def _sqlite_downgrade() -> None:
    _drop_sqlite_search()
    for statement in OLD_SQLITE:
        op.execute(statement)


def _unaccent(bind: sa.Connection) -> str | None:
    """The unaccent dictionary 0001 mapped into actuel_search, if it did."""
    found = bind.execute(
        sa.text(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(d.dictname) "
            "FROM pg_ts_config_map m JOIN pg_ts_dict d ON d.oid = m.mapdict "
            "JOIN pg_namespace n ON n.oid = d.dictnamespace "
            "WHERE m.mapcfg = 'actuel_search'::regconfig AND d.dictname = 'unaccent' LIMIT 1"
        )
    ).scalar()
    return str(found) if found else None


def _vector(config: str) -> str:
    def part(column: str, weight: str) -> str:
        return (
            f"setweight(to_tsvector('{config}'::regconfig, "
            f"left(coalesce({column}, ''), {SEARCH_CHARS})), '{weight}')"
        )

    return f"{part('title', 'A')} || {part('summary', 'C')} || {part('text', 'B')}"


def _search_vector(configs: dict[str, str]) -> str:
    cases = " ".join(f"WHEN '{code}' THEN {_vector(cfg)}" for code, cfg in configs.items())
    return f"CASE language {cases} ELSE {_vector('actuel_search')} END"


def _postgres_upgrade() -> None:
    unaccent = _unaccent(op.get_bind())
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    for config, language in STEMMED.values():
        dictionary = f"{config}_stem"
        # no StopWords: a reader's "la" or "the" matches as on SQLite, and ranks low anyway
        op.execute(
            f"CREATE TEXT SEARCH DICTIONARY {dictionary} "
            f"(TEMPLATE = pg_catalog.snowball, Language = {language})"
        )
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = actuel_search)")
        chain = f"{unaccent}, {dictionary}" if unaccent else dictionary
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR {WORD_TOKENS} WITH {chain}"
        )
    configs = {code: config for code, (config, _) in STEMMED.items()}
    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"{_search_vector(configs)}) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")


def _postgres_downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    for config, _ in STEMMED.values():
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}")
        op.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {config}_stem")
    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"{_vector('actuel_search')}) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")
