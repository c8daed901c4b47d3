"""The write API: bearer tokens (stored hashed), sources and moderation, JSON error objects."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from actuel.accounts.tokens import token_hash
from actuel.model import Comment, SourceState
from tests.support.loopback import Loopback, Reply
from tests.web.admin_support import AdminSite, admin_site, copy_demo
from tests.web.demo_site import DemoSite

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Courrier des Vallons</title><link>https://vallons.example/</link>
<item><title>La foire ouvre</title><link>https://vallons.example/foire</link><guid>f1</guid></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(copy_demo(demo_site, tmp_path_factory.mktemp("api-write"))) as served:
        yield served


@pytest.fixture(scope="module")
def api(site: AdminSite) -> Iterator[httpx.Client]:
    token = "act_" + secrets.token_urlsafe(24)
    site.store.users.add_api_token(token_hash(token), "tests")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=site.base + "/api/v1", headers=headers, timeout=30) as client:
        yield client


def test_write_routes_need_a_known_bearer_token(site: AdminSite) -> None:
    source = site.store.sources.all()[0]
    with httpx.Client(base_url=site.base + "/api/v1") as anonymous:
        calls = [
            ("GET", "/sources"),
            ("POST", "/sources"),
            ("POST", f"/sources/{source.id}/pause"),
            ("DELETE", f"/sources/{source.id}"),
            ("GET", "/moderation/comments"),
            ("POST", "/moderation/comments"),
        ]
        for method, path in calls:
            for headers in (
                {},
                {"Authorization": "Bearer act_not-a-token"},
                {"Authorization": "Basic eDp5"},
            ):
                answer = anonymous.request(method, path, headers=headers, json={})
                assert answer.status_code == 401, (method, path, headers)
                assert answer.headers["www-authenticate"].startswith("Bearer")
                error = answer.json()["error"]
                assert error["code"] in ("unauthorized", "bad_token")
                assert error["message"] and error["fix"]
    assert site.store.sources.get(int(source.id or 0)).state == source.state


def test_tokens_are_stored_hashed(site: AdminSite, api: httpx.Client) -> None:
    import sqlite3

    token = api.headers["authorization"].split(" ", 1)[1]
    with sqlite3.connect(site.settings.db) as conn:
        stored = [row[0] for row in conn.execute("SELECT token_hash FROM api_tokens")]
    assert token not in stored
    assert token_hash(token) in stored


def test_sources_pause_resume_delete_by_api(site: AdminSite, api: httpx.Client) -> None:
    listing = api.get("/sources")
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert {i["id"] for i in items} == {s.id for s in site.store.sources.all()}
    target = items[-1]["id"]
    paused = api.post(f"/sources/{target}/pause")
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    assert site.store.sources.get(target).state == SourceState.PAUSED
    resumed = api.post(f"/sources/{target}/resume")
    assert resumed.json()["state"] == "active"
    gone = api.delete(f"/sources/{target}")
    assert gone.status_code == 200 and gone.json()["deleted"] == target
    assert target not in {s.id for s in site.store.sources.all()}
    missing = api.post(f"/sources/{target}/pause")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "source_not_found"


def test_add_a_source_by_api_with_discovery(
    site: AdminSite, api: httpx.Client, loopback: Loopback
) -> None:
    loopback.route("/", Reply(headers={"Content-Type": "text/html"}, body=(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/flux">'
        b"</head><body>Vallons</body></html>"
    )))  # fmt: skip
    loopback.route("/flux", Reply(headers={"Content-Type": "application/rss+xml"}, body=FEED))
    added = api.post("/sources", json={"url": loopback.url("/"), "category": "régions"})
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["url"] == loopback.url("/flux")
    assert body["name"] == "Le Courrier des Vallons"
    assert body["category"] == "régions"
    again = api.post("/sources", json={"url": loopback.url("/flux"), "kind": "feed"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "source_exists"
    for bad in (
        {"url": 3},
        {"url": "javascript:alert(1)", "kind": "feed"},
        {"url": "x", "kind": "rss"},
    ):
        answer = api.post("/sources", json=bad)
        assert answer.status_code in (400, 422), bad
        assert "error" in answer.json()
    not_json = api.post("/sources", content=b"{oops", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert not_json.json()["error"]["code"] == "bad_json"


def test_moderation_by_api(site: AdminSite, api: httpx.Client) -> None:
    article = site.store.articles.latest(limit=1)[0]
    ids = []
    for n in range(3):
        made = site.store.comments.add(
            Comment(int(article.id or 0), f"Api {n}", f"Message {n} par l'API", f"api{n}")
        )
        assert made is not None and made.id is not None
        ids.append(made.id)
    queue = api.get("/moderation/comments").json()["items"]
    assert set(ids) <= {c["id"] for c in queue}
    assert all("email" not in c and "email_hash" not in c for c in queue)
    done = api.post("/moderation/comments", json={"action": "approve", "ids": ids[:2]})
    assert done.status_code == 200 and done.json()["changed"] == 2
    api.post("/moderation/comments", json={"action": "spam", "ids": ids[2:]})
    assert [site.store.comments.get(i).status for i in ids] == ["published", "published", "spam"]
    for bad in ({"action": "burn", "ids": ids}, {"action": "approve", "ids": []},
                {"action": "approve", "ids": ["1"]}, {"action": "approve"}):  # fmt: skip
        answer = api.post("/moderation/comments", json=bad)
        assert answer.status_code == 400, bad
        assert answer.json()["error"]["code"] in ("bad_action", "bad_ids")
    assert api.get("/moderation/comments?status=nope").status_code == 400


def test_write_routes_are_in_the_openapi_schema(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    assert "bearer" in schema["components"]["securitySchemes"]
    for path in ("/sources", "/sources/{source_id}/pause", "/moderation/comments"):
        assert path in schema["paths"]
    assert schema["paths"]["/moderation/comments"]["post"]["security"] == [{"bearer": []}]


def test_cross_site_browser_posts_are_refused_even_with_a_token(api: httpx.Client) -> None:
    answer = api.post("/sources/1/pause", headers={"Origin": "https://elsewhere.example"})
    assert answer.status_code == 403


def test_a_token_from_the_command_line_opens_the_write_api(site: AdminSite) -> None:
    from click.testing import CliRunner

    from actuel.cli import main

    result = CliRunner().invoke(main, ["admin", "create-token", "cron", "--db", site.settings.db])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("act_")
    with httpx.Client(base_url=site.base + "/api/v1") as client:
        answer = client.get("/sources", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store"
    unknown = CliRunner().invoke(
        main, ["admin", "create-token", "x", "--user", "nobody", "--db", site.settings.db]
    )
    assert unknown.exit_code == 1


def test_reads_with_a_token_leave_the_database_as_it_was(
    site: AdminSite, api: httpx.Client
) -> None:
    import sqlite3

    def dump() -> list[str]:
        with sqlite3.connect(site.settings.db) as conn:
            return list(conn.iterdump())

    before = dump()
    assert api.get("/sources").status_code == 200
    assert api.get("/moderation/comments?status=spam").status_code == 200
    assert dump() == before
