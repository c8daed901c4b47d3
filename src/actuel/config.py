"""One table of settings (name, default, type, help), read from ACTUEL_* variables and TOML."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actuel.errors import ConfigError

ENV_PREFIX = "ACTUEL_"


@dataclass(frozen=True)
class Setting:
    """A named setting with a safe default, declared once."""

    name: str
    default: Any
    type: type
    help: str
    secret: bool = False

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.upper()


MB = 1024 * 1024

SETTINGS: tuple[Setting, ...] = (
    # storage
    Setting("db", "./actuel.db", str, "Database: a SQLite file path or a postgresql:// URL."),
    Setting(
        "db_schema",
        "",
        str,
        "PostgreSQL only: the schema holding actuel's tables, created when missing (empty: the "
        "server's search_path, usually public). Several sites may share one database this way.",
    ),
    Setting("sqlite_busy_timeout_ms", 10_000, int, "How long a SQLite writer waits for the lock."),
    Setting("fetch_log_keep_days", 30, int, "Days the fetch log keeps each request's row."),
    # fetching
    Setting(
        "fetch_allow_private",
        False,
        bool,
        "Allow requests to private, loopback and link-local addresses (tests and the demo only).",
    ),
    Setting("fetch_connect_timeout", 10.0, float, "Seconds to open a connection."),
    Setting("fetch_read_timeout", 20.0, float, "Seconds to wait for each chunk of a response."),
    Setting(
        "fetch_deadline", 60.0, float, "Wall-clock seconds for a whole request, redirects included."
    ),
    Setting(
        "fetch_max_bytes", 15 * MB, int, "Largest response body accepted, as sent on the wire."
    ),
    Setting(
        "fetch_max_decoded_bytes", 30 * MB, int, "Largest body accepted after gzip/deflate/br."
    ),
    Setting("fetch_max_redirects", 5, int, "Redirect hops followed before giving up."),
    Setting(
        "fetch_user_agent",
        "actuel/{version} (+https://actuel.invalid/bot; news aggregator)",
        str,
        "User-Agent sent with every request; {version} is replaced.",
    ),
    Setting("fetch_concurrency", 8, int, "Requests in flight at once, all hosts together."),
    Setting("fetch_per_host_concurrency", 2, int, "Requests in flight at once to one host."),
    Setting("fetch_per_host_delay", 1.0, float, "Seconds between two requests to one host."),
    Setting(
        "fetch_respect_robots", True, bool, "Honour robots.txt before fetching pages and feeds."
    ),
    Setting("fetch_robots_ttl", 3600, int, "Seconds a host's robots.txt is cached."),
    Setting(
        "fetch_robots_max_bytes",
        512 * 1024,
        int,
        "Largest robots.txt read; rules past this size are ignored.",
    ),
    Setting(
        "fetch_allow_hosts",
        "",
        str,
        "Comma-separated host names the private-address guard lets through (intranet, demo).",
    ),
    Setting(
        "fetch_retry_after_max",
        86_400,
        int,
        "Longest Retry-After (429/503) honoured for a host, in seconds.",
    ),
    Setting(
        "fetch_crawl_delay_max",
        30.0,
        float,
        "Longest robots.txt Crawl-delay honoured, in seconds (0 ignores Crawl-delay).",
    ),
    Setting(
        "fetch_ca_file",
        "",
        str,
        "PEM file of extra certificate authorities to trust (an intranet CA), beside certifi's.",
    ),
    # scheduling
    Setting("poll_interval", 1800, int, "Default seconds between two polls of a source."),
    Setting("poll_interval_min", 300, int, "Shortest adaptive polling interval, in seconds."),
    Setting("poll_interval_max", 86_400, int, "Longest adaptive polling interval, in seconds."),
    Setting(
        "backoff_base", 60, int, "First retry delay after an error, in seconds (doubles each time)."
    ),
    Setting("backoff_max", 86_400, int, "Longest retry delay after repeated errors, in seconds."),
    Setting(
        "disable_after_errors", 20, int, "Consecutive errors after which a source is disabled."
    ),
    Setting(
        "page_retry_max", 5, int, "Times an article page is retried before keeping the feed text."
    ),
    Setting(
        "poll_jitter",
        0.1,
        float,
        "Random spread of each next poll time, as a fraction of the interval (0 to 0.5).",
    ),
    # stories: similarity
    Setting(
        "stories_encoder",
        "auto",
        str,
        "Sentence encoder for cross-language stories: auto (USE when installed), use, or none.",
    ),
    Setting(
        "stories_window_days",
        7.0,
        float,
        "Days around an article's date within which it is compared with others for its story.",
    ),
    Setting(
        "stories",
        True,
        bool,
        "Group articles into stories as they are ingested (false: store articles alone).",
    ),
    # parsing and extraction
    Setting(
        "parse_max_items", 1000, int, "Items kept from one feed or sitemap (the newest first)."
    ),
    Setting("extract_max_html_bytes", 5 * MB, int, "Largest page handed to the extractor."),
    Setting("fetch_pages", True, bool, "Fetch each item's page to extract the full text."),
    Setting(
        "fetch_images",
        True,
        bool,
        "Keep a local, resized copy of each article's image (the site never hotlinks outlets).",
    ),
    Setting(
        "extract_workers",
        0,
        int,
        "Processes that extract pages in large passes (0: one per CPU; 1: no extra process).",
    ),
    Setting(
        "extract_pool_min_pages",
        50,
        int,
        "Pages in one pass from which extraction worker processes are started.",
    ),
    # translation
    Setting(
        "translate_backend",
        "none",
        str,
        "Translation backend: none, ctranslate2 (local models) or libretranslate (a server).",
    ),
    Setting(
        "translate_into",
        "fr",
        str,
        "Languages articles are translated into, comma-separated (fr,en: English pages too).",
    ),
    Setting(
        "translate_models_dir",
        "./translate-models",
        str,
        "ctranslate2: the folder holding one model folder per pair (en-fr/, de-en/, ...).",
    ),
    Setting(
        "translate_url",
        "",
        str,
        "libretranslate: the server's address, e.g. http://127.0.0.1:5000 (loopback allowed).",
    ),
    Setting(
        "translate_api_key", "", str, "libretranslate: the API key, if the server asks one.", True
    ),
    Setting(
        "translate_full_text",
        False,
        bool,
        "Translate every article's whole text too (else only when a reader asks, on its page).",
    ),
    Setting("translate_timeout", 30.0, float, "Seconds a translation request may take."),
    Setting("translate_batch", 16, int, "Texts sent to the backend in one request."),
    # web
    Setting("web_host", "127.0.0.1", str, "Address the web server listens on."),
    Setting("web_port", 8000, int, "Port the web server listens on."),
    Setting("site_name", "actuel", str, "Name of the site shown in every page."),
    Setting("site_lang", "fr", str, "Default language of the site's pages."),
    Setting("excerpt_chars", 400, int, "Characters of an article's text shown on its page."),
    Setting("site_page_size", 30, int, "Stories (or articles) per page of the home."),
    Setting("web_workers", 1, int, "Web server processes (uvicorn workers), each with its cache."),
    Setting("feed_items", 50, int, "Items in each outgoing feed (RSS, Atom, JSON Feed)."),
    Setting(
        "site_cache",
        True,
        bool,
        "Keep rendered pages in memory, compressed, until the database changes.",
    ),
    Setting("site_cache_mb", 64, int, "Memory the page cache may use in each process, in MB."),
    Setting(
        "site_cache_check_s",
        1.0,
        float,
        "Seconds between two checks for database changes: how stale a cached page may be.",
    ),
    Setting(
        "site_gzip_uncached",
        False,
        bool,
        "Gzip pages rendered for one request (cache off, a reader with a session) when the client"
        " accepts it: a third of the bytes, ~10% fewer pages/s on a loopback bench.",
    ),
    Setting(
        "site_cache_max_age_s",
        300,
        int,
        "Seconds a cached page is served at most, even when nothing changed.",
    ),
    Setting(
        "site_base_url",
        "",
        str,
        "Public address of the site (https://…) for canonical links, feeds, sitemaps and sharing;"
        " empty: the address each request came to.",
    ),
    Setting("site_tagline", "", str, "A line under the site's name in every page's header."),
    Setting(
        "site_logo_url",
        "/static/logo.svg",
        str,
        "Logo shown beside the site's name (http(s) URL or /static/…; empty: none).",
    ),
    Setting(
        "site_color",
        "#0b5cad",
        str,
        "Accent colour of links and highlights (#rgb or #rrggbb; keep 4.5:1 contrast on white).",
    ),
    Setting(
        "site_social",
        "",
        str,
        "“Suivez-nous” links: name=URL pairs separated by commas"
        " (Mastodon=https://…, Facebook=https://…).",
    ),
    Setting(
        "site_languages",
        "fr,en",
        str,
        "Languages a reader may choose for the site's pages, comma-separated (among fr, en).",
    ),
    # admin and security
    Setting(
        "secret_key",
        "",
        str,
        "Key signing form tokens (empty: drawn at each start;"
        " set it when several processes serve).",
        secret=True,
    ),
    Setting("admin_session_hours", 12, int, "Hours an admin login lasts before asking again."),
    Setting("login_max_failures", 10, int, "Failed logins allowed per address in a minute."),
    # comments
    Setting(
        "comments_min_seconds",
        3.0,
        float,
        "A comment sent sooner after the form was shown is held.",
    ),
    Setting(
        "comments_max_age", 7200, int, "Seconds a comment form stays valid (then: reload the page)."
    ),
    Setting("comments_max_name", 80, int, "Longest author name of a comment, in characters."),
    Setting("comments_max_text", 4000, int, "Longest comment, in characters."),
    Setting("comments_hold_links", 2, int, "A comment with at least this many links is held."),
    Setting("comments_address_limit", 10, int, "Comments one address may post per address window."),
    Setting("comments_address_window", 60, int, "Seconds of the per-address comment limit."),
    Setting("comments_story_limit", 30, int, "Comments one story may receive per story window."),
    Setting("comments_story_window", 60, int, "Seconds of the per-story comment limit."),
    Setting(
        "web_trust_forwarded",
        False,
        bool,
        "Take the client's address from X-Forwarded-For (only behind a proxy that sets it).",
    ),
    # logging
    Setting("log_level", "info", str, "Log level: debug, info, warning, error."),
    Setting("log_format", "text", str, "Log format: text (human) or json (one object per line)."),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def _convert(setting: Setting, raw: Any, origin: str) -> Any:
    if isinstance(raw, setting.type) and not (setting.type is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if setting.type is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return setting.type(text)
    except ValueError:
        raise ConfigError(
            f"{origin}: {raw!r} is not a valid {setting.type.__name__} for {setting.name}",
            fix=f"set {setting.env_name} to a {setting.type.__name__}; {setting.help}",
        ) from None


class Settings:
    """Resolved settings: defaults, then the TOML file, then ACTUEL_* variables, then overrides."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (checked against the table)."""
        values = dict(self._values)
        for name, raw in changes.items():
            if raw is None:
                continue
            setting = _lookup(name, "override")
            values[name] = _convert(setting, raw, "override")
        return Settings(values)

    def as_dict(self, *, reveal_secrets: bool = False) -> dict[str, Any]:
        return {
            name: ("***" if SETTINGS_BY_NAME[name].secret and not reveal_secrets else value)
            for name, value in self._values.items()
        }

    @property
    def translate_languages(self) -> list[str]:
        """The languages articles are translated into (translate_into), in order, no repeats."""
        found: list[str] = []
        for part in str(self.translate_into).split(","):
            code = part.strip().lower()
            if code and code not in found:
                found.append(code)
        return found

    @property
    def translates(self) -> bool:
        """Whether a translation backend is set."""
        return str(self.translate_backend).strip().lower() != "none"

    @property
    def user_agent(self) -> str:
        from actuel import __version__

        return str(self.fetch_user_agent).replace("{version}", __version__)


def _lookup(name: str, origin: str) -> Setting:
    try:
        return SETTINGS_BY_NAME[name]
    except KeyError:
        raise ConfigError(
            f"{origin}: unknown setting {name!r}",
            fix="see the configuration table in README.md for the names",
        ) from None


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Resolve every setting from defaults, a TOML file, the environment and explicit overrides."""
    env = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                f"config file {file} does not exist", fix="pass an existing file to --config"
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file}: {exc}", fix="fix the TOML syntax") from None
        for name, raw in data.items():
            values[name] = _convert(_lookup(name, str(file)), raw, str(file))
    for setting in SETTINGS:
        if setting.env_name in env:
            values[setting.name] = _convert(setting, env[setting.env_name], setting.env_name)
    return Settings(values).replace(**overrides)
