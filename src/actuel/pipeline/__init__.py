"""The only place that knows the order of stages: fetch → parse → extract → enrich → store.

`ingest` runs passes over the due sources (`collect` is what its worker threads do, `extraction`
the worker processes), `stories_step` places stored articles in stories, `reprocess` extracts
stored pages again, `discovery` finds what to poll for an address. It imports nothing of actuel
here: the extraction worker processes import this package.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
