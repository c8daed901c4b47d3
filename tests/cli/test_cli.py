"""The command line as a user runs it: sources, fetch, stats, extract and parse on saved files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from actuel.cli import main
from actuel.config import load_settings
from actuel.store import Store
from tests.support.loopback import Loopback, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette d'essai</title><link>{base}/</link>
<language>fr</language>
<item><title>Ouverture du marché de Port-Ambre</title><link>{base}/a/marche</link>
<guid>marche</guid><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate>
<description>Le nouveau marché couvert ouvre ses portes.</description></item>
</channel></rss>"""

PAGE = """<!doctype html><html lang="fr"><head><title>Ouverture du marché de Port-Ambre</title>
<meta property="og:image" content="{base}/img/marche.jpg">
<link rel="canonical" href="{base}/a/marche?utm_source=rss"></head><body>
<div class="share">Partager sur Facebook</div><article><h1>Ouverture du marché de Port-Ambre</h1>
<p>Le nouveau marché couvert de Port-Ambre a ouvert ses portes mardi matin, après deux années de
travaux menés par la municipalité et financés en partie par les commerçants eux-mêmes.</p>
<p>Plus de quatre cents étals y accueillent désormais les vendeurs de poisson, de fruits et de
tissus, qui occupaient jusque-là les trottoirs du boulevard du Front de mer.</p>
<p>« Nous avons enfin un toit au-dessus de nos têtes », a déclaré une vendeuse de poisson venue
dès l'aube installer sa marchandise dans l'allée centrale du bâtiment.</p></article>
<img src="https://www.facebook.com/tr?id=1&ev=PageView&noscript=1" alt="fbpx"></body></html>"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "ACTUEL_DB": str(tmp_path / "cli.db"),
        "ACTUEL_FETCH_ALLOW_PRIVATE": "1",
        "ACTUEL_FETCH_PER_HOST_DELAY": "0",
        "ACTUEL_FETCH_RESPECT_ROBOTS": "0",
    }


def run(env: dict[str, str], *args: str, input: str | bytes | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def serve_site(loopback: Loopback) -> None:
    base = loopback.base_url
    loopback.route(
        "/feed.xml",
        Reply(
            headers={"Content-Type": "application/rss+xml"}, body=FEED.format(base=base).encode()
        ),
    )
    loopback.route(
        "/a/marche",
        Reply(
            headers={"Content-Type": "text/html; charset=utf-8"},
            body=PAGE.format(base=base).encode(),
        ),
    )
    loopback.route(
        "/",
        Reply(
            headers={"Content-Type": "text/html"},
            body=(
                f'<html><head><title>La Gazette</title><link rel="alternate" '
                f'type="application/rss+xml" href="{base}/feed.xml"></head>'
                "<body>Accueil</body></html>"
            ).encode(),
        ),
    )


def test_add_by_home_page_discovers_the_feed_then_fetch_and_stats(
    loopback: Loopback, env: dict[str, str]
) -> None:
    serve_site(loopback)
    output = run(env, "sources", "add", loopback.url("/"), "--category", "economie")
    assert loopback.url("/feed.xml") in output
    listed = json.loads(run(env, "sources", "list", "--json"))
    assert [s["url"] for s in listed] == [loopback.url("/feed.xml")]
    assert listed[0]["kind"] == "feed" and listed[0]["category"] == "economie"

    run(env, "fetch", "--quiet")
    stats = json.loads(run(env, "stats", "--json"))
    assert list(stats)[:2] == ["sources", "articles"]
    assert stats["sources"] == {"total": 1, "by_state": {"active": 1}}
    assert stats["articles"]["total"] == 1
    assert stats["articles"]["by_language"] == {"fr": 1}


def test_opml_export_then_import_round_trips(
    loopback: Loopback, env: dict[str, str], tmp_path: Path
) -> None:
    serve_site(loopback)
    run(env, "sources", "add", loopback.url("/feed.xml"), "--name", "Gazette", "--lang", "fr")
    run(env, "sources", "add", loopback.url("/"), "--kind", "page", "--name", "Accueil")
    run(env, "sources", "add", loopback.url("/sitemap.xml"), "--kind", "sitemap")
    opml = tmp_path / "sources.opml"
    run(env, "sources", "export", str(opml))
    assert b"<opml" in opml.read_bytes()
    other = dict(env, ACTUEL_DB=str(tmp_path / "other.db"))
    assert "imported 3 sources" in run(other, "sources", "import", str(opml))
    sources = json.loads(run(other, "sources", "list", "--json"))
    kinds = {s["url"]: s["kind"] for s in sources}  # a page or sitemap stays one (not a feed)
    assert kinds == {
        loopback.url("/feed.xml"): "feed",
        loopback.url("/"): "page",
        loopback.url("/sitemap.xml"): "sitemap",
    }
    source = next(s for s in sources if s["kind"] == "feed")
    assert source["name"] == "Gazette"
    assert "already registered" in run(other, "sources", "import", str(opml))
    for each in sources:
        run(other, "sources", "remove", str(each["id"]))
    assert json.loads(run(other, "sources", "list", "--json")) == []


def test_extract_prints_json_for_one_file_and_lines_for_several(
    tmp_path: Path, env: dict[str, str]
) -> None:
    base = "https://gazette.example"
    first = tmp_path / "one.html"
    first.write_text(PAGE.format(base=base), encoding="utf-8")
    second = tmp_path / "two.html"
    second.write_text(PAGE.format(base=base).replace("Port-Ambre", "Kalaba"), encoding="utf-8")
    one = json.loads(run(env, "extract", str(first), "--url", f"{base}/a/marche"))
    assert one["title"] == "Ouverture du marché de Port-Ambre"
    assert "quatre cents étals" in one["text"]
    assert "fbpx" not in one["text"] and "Partager sur Facebook" not in one["text"]
    assert one["language"] == "fr"
    assert one["canonical_url"] == f"{base}/a/marche"
    lines = run(env, "extract", str(second), str(first)).strip().splitlines()
    assert [json.loads(line)["path"] for line in lines] == [str(second), str(first)]
    from_stdin = json.loads(run(env, "extract", "-", input=first.read_bytes()))
    assert from_stdin["path"] == "-" and from_stdin["title"] == one["title"]


def test_parse_prints_items_and_names_the_file_that_is_not_a_feed(
    tmp_path: Path, env: dict[str, str]
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(base="https://gazette.example"), encoding="utf-8")
    parsed = json.loads(run(env, "parse", str(feed)))
    assert parsed["title"] == "La Gazette d'essai"
    [item] = parsed["items"]
    assert item["link"] == "https://gazette.example/a/marche"
    assert item["published"].startswith("2026-11-24T09:00:00")
    html = tmp_path / "page.html"
    html.write_text("<html><body>pas un flux</body></html>")
    result = CliRunner().invoke(main, ["parse", str(feed), str(html)], env=env)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    assert lines[0]["path"] == str(feed) and lines[1]["path"] == str(html)
    assert str(html) in lines[1]["error"]


def test_a_hosts_retry_after_holds_for_the_next_processes(
    loopback: Loopback, env: dict[str, str]
) -> None:
    """A 429 with Retry-After: 3600 in one `actuel fetch`; the next fetch (cron, another process),
    `fetch --source` and `sources add` of another page of that host send it nothing."""
    loopback.route("/feed.xml", Reply(429, {"Retry-After": "3600"}, b"slow down"))
    run(env, "sources", "add", loopback.url("/feed.xml"), "--kind", "feed")
    run(env, "fetch")
    assert len(loopback.hits_to("/feed.xml")) == 1
    later = subprocess.run(
        [sys.executable, "-m", "actuel", "fetch"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert later.returncode == 0, later.stderr
    run(env, "fetch", "--source", "1")
    added = CliRunner().invoke(main, ["sources", "add", loopback.url("/other")], env=env)
    assert added.exit_code != 0 and "Retry-After" in added.output, added.output
    assert len(loopback.hits_to("/feed.xml")) == 1
    assert not loopback.hits_to("/other")


def test_adding_an_address_with_nothing_to_poll_is_refused_at_once(
    loopback: Loopback, env: dict[str, str]
) -> None:
    """An empty 200 body was registered as a page source named after the host, after 20 s of
    probing; a page linking to no article the same."""
    loopback.route("/empty", Reply(body=b""))
    loopback.route(
        "/bare", Reply(headers={"Content-Type": "text/html"}, body=b"<html><p>Bienvenue</p></html>")
    )
    added = CliRunner().invoke(main, ["sources", "add", loopback.url("/empty")], env=env)
    assert added.exit_code != 0 and "empty body" in added.output, added.output
    assert [h.path for h in loopback.hits] == ["/empty"]  # refused at once, nothing probed
    added = CliRunner().invoke(main, ["sources", "add", loopback.url("/bare")], env=env)
    assert added.exit_code != 0 and "links to no article" in added.output, added.output
    with Store.open(env["ACTUEL_DB"], load_settings(environ=env)) as store:
        assert store.sources.all() == []


def test_a_sitemap_source_is_named_after_its_site_not_its_host(
    loopback: Loopback, env: dict[str, str]
) -> None:
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{loopback.url('/a/marche')}</loc></url></urlset>"
    )
    loopback.route(
        "/sitemap.xml", Reply(headers={"Content-Type": "application/xml"}, body=sitemap.encode())
    )
    home = (
        '<html><head><meta property="og:site_name" content="Le Veilleur">'
        "<title>Accueil</title></head><body><main><h2>À la une</h2><p>"
        + "La foire agricole de Téréna ouvre samedi sur l'esplanade du marché. " * 6
        + "</p></main></body></html>"
    )
    loopback.route("/", Reply(headers={"Content-Type": "text/html"}, body=home.encode()))
    run(env, "sources", "add", loopback.url("/sitemap.xml"))
    [source] = json.loads(run(env, "sources", "list", "--json"))
    assert source["kind"] == "sitemap" and source["name"] == "Le Veilleur"
