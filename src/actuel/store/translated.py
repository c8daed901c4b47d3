"""The store's translations entity (`store.translations`): what is machine-translated, what is
still to be, and the cache of translated texts. Beside entities.py, which is full."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from actuel.model import Translation
from actuel.store import translations as rows
from actuel.store.entities import _Entity


class Translations(_Entity):
    """Articles' titles and leads in the site's languages, and the cache behind them."""

    def wanted(
        self,
        into: Sequence[str],
        limit: int = 64,
        *,
        now: datetime | None = None,
        redo_before: datetime | None = None,
    ) -> list[rows.TranslationWanted]:
        """(article, language) pairs still to translate, the newest articles first."""
        with self._store.read() as conn:
            return rows.wanted(conn, into, now or datetime.now(UTC), limit, redo_before=redo_before)

    def cached(self, hashes: Iterable[str], source_lang: str, target: str) -> dict[str, str]:
        """Text hash -> translation, for the texts of this pair already translated."""
        with self._store.read() as conn:
            return rows.cached(conn, hashes, source_lang, target)

    def save(
        self,
        done: Sequence[Translation],
        failed: Sequence[rows.TranslationFailed] = (),
        *,
        cache: dict[tuple[str, str], dict[str, str]] | None = None,
        backend: str = "",
        models: dict[tuple[str, str], str] | None = None,
    ) -> None:
        """Store translations, failures and the new cache entries ((source, target) -> texts)
        in one transaction."""
        now = datetime.now(UTC)
        with self._store.write(shown=bool(done)) as conn:
            for (source_lang, target), texts in (cache or {}).items():
                model = (models or {}).get((source_lang, target), "")
                rows.remember(conn, texts, source_lang, target, backend, model, now)
            rows.save(conn, done, failed)

    def of_articles(self, article_ids: Iterable[int], lang: str | None = None) -> list[Translation]:
        """Finished translations of these articles, into `lang` or every language."""
        with self._store.read() as conn:
            return rows.of_articles(conn, article_ids, lang)

    def get(self, article_id: int, lang: str) -> Translation | None:
        found = self.of_articles([article_id], lang)
        return found[0] if found else None

    def counts(self, into: Sequence[str]) -> dict[str, int]:
        """Translated, failed and pending (article, language) pairs."""
        with self._store.read() as conn:
            return rows.counts(conn, into, datetime.now(UTC))

    def request_text(self, article_id: int, lang: str) -> None:
        """A reader asks for the article's whole text in `lang` (its page then says so)."""
        with self._store.write(shown=True) as conn:
            rows.request_text(conn, article_id, lang, datetime.now(UTC))

    def text_requested(self, article_id: int) -> set[str]:
        """The languages readers await the article's whole text in."""
        with self._store.read() as conn:
            return rows.text_requested(conn, article_id)

    def texts_wanted(
        self, into: Sequence[str], limit: int = 8, *, every: bool = False
    ) -> list[rows.TextWanted]:
        """Whole texts still to translate: asked for by readers, or all with `every`."""
        with self._store.read() as conn:
            return rows.texts_wanted(conn, into, limit, every=every)

    def save_texts(
        self,
        texts: Sequence[tuple[int, str, str]],
        *,
        cache: dict[tuple[str, str], dict[str, str]] | None = None,
        backend: str = "",
        models: dict[tuple[str, str], str] | None = None,
    ) -> None:
        """(article id, language, text) of whole texts translated, with the new cache entries."""
        now = datetime.now(UTC)
        with self._store.write(shown=bool(texts)) as conn:
            for (source_lang, target), found in (cache or {}).items():
                model = (models or {}).get((source_lang, target), "")
                rows.remember(conn, found, source_lang, target, backend, model, now)
            for article_id, lang, text in texts:
                rows.save_text(conn, article_id, lang, text)
