"""A browser tab that counts what a reader never sees: console errors, script errors, CSP blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from playwright.sync_api import ConsoleMessage, Error, Page

# Reports every Content-Security-Policy violation of every document the page loads to Python.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__actuelCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


@dataclass
class Shots:
    """Numbered screenshots of one test's steps, in the artifacts folder."""

    folder: Path
    prefix: str
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Page, step: str) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.prefix}-{len(self.taken) + 1:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


class Watched:
    """`page` with listeners: console errors of the site, uncaught exceptions, CSP violations."""

    def __init__(self, page: Page, site_origin: str, shots: Shots) -> None:
        self.page = page
        self.site_origin = site_origin
        self.shots = shots
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.expose_function("__actuelCspViolation", self._on_csp_violation)
        page.add_init_script(_CSP_LISTENER)

    def _on_console(self, message: ConsoleMessage) -> None:
        # Only our pages count: the demo outlets' pages are someone else's site.
        where = str(message.location.get("url") or self.page.url)
        if message.type == "error" and where.startswith(self.site_origin):
            self.console_errors.append(f"{message.text} ({where})")

    def _on_csp_violation(self, report: str) -> None:
        self.csp_violations.append(report)

    def _on_page_error(self, error: Error) -> None:
        if self.page.url.startswith(self.site_origin):
            self.page_errors.append(f"{error.message} ({self.page.url})")

    def shot(self, step: str) -> Path:
        """Save a full-page screenshot of this step."""
        return self.shots.take(self.page, step)

    def problems(self) -> list[str]:
        """Everything that went wrong behind the reader's back, one line each."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"script error: {m}" for m in self.page_errors]
            + [f"CSP violation: {m}" for m in self.csp_violations]
        )


class Visitor(Protocol):
    """Makes another visitor (own cookies, browser language `locale`), named in the screenshots."""

    def __call__(self, who: str, locale: str = "fr-FR") -> Watched: ...
