"""The CSP watch itself: a blocked script is counted, so "no violation" elsewhere is meaningful."""

from __future__ import annotations

import pytest

from tests.browser.watch import Watched

pytestmark = pytest.mark.browser


def test_an_injected_inline_script_is_blocked_and_counted(visit: Watched) -> None:
    page = visit.page
    page.goto("/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.title = 'pwned'";
          document.body.append(script);
        }"""
    )
    for _ in range(100):  # the report crosses from the page to Python: give it a moment
        if visit.csp_violations:
            break
        page.wait_for_timeout(50)
    assert page.title() != "pwned", "the site's CSP let an inline script run"
    assert visit.csp_violations, "the CSP violation of an inline script went unnoticed"
    assert "script-src" in visit.csp_violations[0]
