"""actuel: a news aggregator that knows where every story came from."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("actuel")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
