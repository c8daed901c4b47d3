"""Ingest as jobs of a queue kept in PostgreSQL (procrastinate), for `actuel worker` processes on
any number of machines.

- `schedule` (every minute, one at a time for the cluster) queues a `poll` for each due source;
  a queueing lock per source keeps a second one from waiting beside it, and a lock per source
  keeps two from running at once; a poll that finds its source no longer due (another just
  polled it) does nothing.
- `poll` runs one source's pass: its feed, its new pages, their extraction, stored.
- `follow_up` (one at a time for the cluster, at most one waiting): pages to fetch again, images
  to keep, and the stories: stored articles in no story are placed in date order by one process
  at a time, from the store's own window, so stories stay one per event with any number of
  workers.
- `recover` (every minute): the jobs of a worker that stopped beating (killed, its machine gone)
  are queued again, so they run elsewhere within a minute; a poll run twice stores nothing twice.
A URL is stored once however many workers see it: the store's upsert keys on the canonical URL.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status

from actuel.config import Settings
from actuel.errors import ConfigError
from actuel.store.db import is_postgres_url

log = logging.getLogger("actuel.jobs")

POLL = "actuel.poll"
FOLLOW_UP = "actuel.follow_up"
SCHEDULE = "actuel.schedule"
RECOVER = "actuel.recover"
STALLED_S = 30  # a worker beats every 10 s: three missed beats and its jobs are taken back
_SCHEMA_LOCK = 7_412_016  # advisory lock: one worker at a time installs procrastinate's tables


def conninfo(settings: Settings) -> str:
    """The psycopg address of the store's database, in its schema when db_schema is set."""
    db = str(settings.db)
    if not is_postgres_url(db):
        raise ConfigError(
            f"`actuel worker` needs PostgreSQL, and the database is {db!r}",
            fix="on SQLite, `actuel run` (or `actuel fetch` from cron) does it all in one process; "
            "for workers, set ACTUEL_DB to a postgresql:// URL",
        )
    url = db.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = str(settings.db_schema or "")
    if schema:
        joiner = "&" if "?" in url else "?"
        url += f"{joiner}options=-csearch_path%3D{schema},public"
    return url


class Jobs:
    """The queue's app and this process's store and fetcher, shared by the jobs it runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings))
        )
        self._lock = threading.RLock()
        self._opened: dict[str, Any] = {}
        self._register()

    # the tasks

    def _register(self) -> None:
        app = self.app

        @app.task(name=POLL, queue="poll", pass_context=False)
        def poll(source_id: int) -> None:
            self.poll(source_id)

        @app.task(name=FOLLOW_UP, queue="follow_up", lock="follow-up")
        def follow_up() -> None:
            self.follow_up()

        @app.periodic(cron="* * * * *")
        @app.task(name=SCHEDULE, queue="schedule", lock="schedule", queueing_lock="schedule")
        def schedule(timestamp: int) -> None:
            self.schedule()

        @app.periodic(cron="* * * * *")
        @app.task(name=RECOVER, queue="schedule", lock="recover", queueing_lock="recover")
        async def recover(timestamp: int) -> None:
            await self.recover()

    async def recover(self) -> int:
        """Queue again the jobs of workers that stopped beating; how many."""
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_S))
        for job in stalled:
            log.warning("job taken back from a silent worker", extra={"job": job.call_string})
            try:
                await manager.retry_job(job)
            except (UniqueViolation, AlreadyEnqueued):
                # a newer job with its queueing lock waits (the source came due again): that one
                # does the same work, and this one must let go of the source's lock
                assert job.id is not None
                await manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
        return len(stalled)

    def schedule(self) -> int:
        """Queue a poll for every due source that has none waiting; how many were queued."""
        store = self._store()
        queued = 0
        for source in store.sources.due(datetime.now(UTC)):
            try:
                self.app.configure_task(
                    POLL, lock=f"source:{source.id}", queueing_lock=f"poll:{source.id}"
                ).defer(source_id=source.id)
                queued += 1
            except AlreadyEnqueued:
                pass
        return queued

    def poll(self, source_id: int) -> None:
        from actuel.pipeline.ingest import Ingestor

        store = self._store()
        source = store.sources.get(source_id)
        due = source.next_poll_at is None or source.next_poll_at <= datetime.now(UTC)
        if source.state not in ("active", "error") or not due:
            return  # polled meanwhile by another worker, or paused
        settings = self.settings.replace(stories=False)
        with Ingestor(store, self._fetcher(), settings) as ingestor:
            report = ingestor.run_pass([source], follow_up=False)
        log.info("polled", extra={"source": source.label, "new": report.new_articles})
        self.defer_follow_up()

    def defer_follow_up(self) -> None:
        with contextlib.suppress(AlreadyEnqueued):  # the one waiting will see them too
            self.app.configure_task(FOLLOW_UP, queueing_lock="follow-up").defer()

    def follow_up(self) -> None:
        from actuel.pipeline.ingest import Ingestor
        from actuel.pipeline.stories_step import StoriesStep

        store = self._store()
        with Ingestor(store, self._fetcher(), self.settings.replace(stories=False)) as ingestor:
            ingestor.retry_pages()
            ingestor.fetch_images()
        if self.settings.stories:
            # restored from the store each time: another worker may have placed articles since
            StoriesStep(store, self.settings).rebuild()

    # this process's resources

    def _store(self) -> Any:
        with self._lock:
            if "store" not in self._opened:
                from actuel.store import Store

                self._opened["store"] = Store.open(self.settings.db, self.settings)
            return self._opened["store"]

    def _fetcher(self) -> Any:
        with self._lock:
            if "fetcher" not in self._opened:
                from actuel.fetch import Fetcher

                self._opened["fetcher"] = Fetcher(self.settings, holds=self._store().hosts)
            return self._opened["fetcher"]

    def close(self) -> None:
        with self._lock:
            for resource in reversed(list(self._opened.values())):
                resource.close()
            self._opened.clear()

    # the worker

    def install_schema(self) -> None:
        """procrastinate's tables, once for the database (workers starting together wait)."""
        with psycopg.connect(conninfo(self.settings), autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
            try:
                found = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
                if found is None or found[0] is None:
                    self.app.schema_manager.apply_schema()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))

    def busy(self) -> int:
        """Jobs of ours waiting or running, in the whole cluster."""
        with psycopg.connect(conninfo(self.settings)) as conn:
            row = conn.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
                "AND task_name IN (%s, %s)",
                (POLL, FOLLOW_UP),
            ).fetchone()
        return int(row[0]) if row else 0

    def run(self, *, concurrency: int, until_idle: bool) -> None:
        """Run jobs until stopped, or with `until_idle` until none waits or runs anywhere."""
        with self.app.open():  # run_worker opens (and closes) the app's pools itself
            self.install_schema()
            self.schedule()
        if not until_idle:
            self.app.run_worker(concurrency=concurrency, wait=True)
            return
        idle_checks = 0
        while idle_checks < 2:  # twice in a row: a running job may queue another
            self.app.run_worker(
                concurrency=concurrency,
                wait=False,
                install_signal_handlers=False,
                queues=["poll", "follow_up", "schedule"],
            )
            with self.app.open(), contextlib.suppress(AlreadyEnqueued):  # the next run does it
                self.app.configure_task(RECOVER, queueing_lock="recover").defer(timestamp=0)
            idle_checks = idle_checks + 1 if self.busy() == 0 else 0
            time.sleep(0.3)
