"""Browser fixtures: Debian's Chromium through Playwright, the live demo site, screenshots."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.watch import Shots, Visitor, Watched
from tests.browser.world import LiveSite, live_site

CHROMIUM = Path(os.environ.get("ACTUEL_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
# /artifacts/ is ignored by git; CI may point elsewhere to collect them.
ARTIFACTS = Path(os.environ.get("ACTUEL_TEST_ARTIFACTS", ROOT / "artifacts")) / "browser"


@pytest.fixture(scope="package")
def artifacts() -> Path:
    """The screenshots folder, emptied of the previous run's pictures."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


# Package scope: Chromium, the outlets and the server stop when the browser tests are done, not
# at the end of the whole session (Playwright's event loop stays out of the other tests' way).
@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it "
            "(apt-get install -y chromium; .ci/run does it when it can)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(tmp_path_factory.mktemp("browser-site")) as served:
        yield served


@pytest.fixture
def visitors(
    chromium: Browser, site: LiveSite, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Visitor]:
    """Make visitors (French-speaking unless told), each with own cookies and a watched tab."""
    contexts: list[BrowserContext] = []

    def new_visitor(who: str, locale: str = "fr-FR") -> Watched:
        context = chromium.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, base_url=site.base_url
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        prefix = f"{request.node.name}-{who}" if who else request.node.name
        return Watched(context.new_page(), site.base_url, Shots(artifacts, prefix))

    try:
        yield new_visitor
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def visit(visitors: Visitor) -> Watched:
    """One reader's watched tab on the site."""
    return visitors("")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    shots = sorted(ARTIFACTS.glob("*.png")) if ARTIFACTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS} ({len(shots)} files)")
