"""Structured logging: human lines through rich, or one JSON object per line (log_format=json)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The structured fields passed with `extra=` on a log call."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, and every extra field."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(fields_of(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`event key=value …` for people reading a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={v}" for k, v in fields_of(record).items())
        line = record.getMessage() + (f"  {extra}" if extra else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(level: str = "info", fmt: str = "text") -> None:
    """Set up the `actuel` logger once per process; libraries stay at warning."""
    root = logging.getLogger("actuel")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if fmt == "json":
        stream: logging.Handler = logging.StreamHandler(sys.stderr)
        stream.setFormatter(JSONFormatter())
    else:
        from rich.console import Console
        from rich.logging import RichHandler

        stream = RichHandler(
            console=Console(stderr=True), show_path=False, rich_tracebacks=False, markup=False
        )
        stream.setFormatter(TextFormatter())
    root.addHandler(stream)
    root.setLevel(level.upper())
    root.propagate = False
