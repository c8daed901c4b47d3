"""CSRF on every state-changing route of the site, and no state change on any GET."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.routing import Mount, Route

from actuel.store import Store
from actuel.web.app import create_app
from tests.web.admin_support import AdminSite, admin_site, admin_token, copy_demo, log_in, token_in
from tests.web.demo_site import DemoSite

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(copy_demo(demo_site, tmp_path_factory.mktemp("security"))) as served:
        yield served


def _routes(site: AdminSite) -> list[tuple[str, set[str]]]:
    """Every (path template, methods) of the app, mounted sub-apps included (static files aside)."""
    app = create_app(site.settings)
    found: list[tuple[str, set[str]]] = []

    def walk(routes: list[object], prefix: str) -> None:
        for route in routes:
            if isinstance(route, Route):
                found.append((prefix + route.path, set(route.methods or ())))
            elif isinstance(route, Mount) and route.path != "/static":
                walk(list(route.routes), prefix + route.path)

    walk(list(app.routes), "")
    return found


def _fill(template: str, values: dict[str, str]) -> str:
    """The path with its parameters filled: a real value when the name is known, else 1 or x."""

    def value(match: re.Match[str]) -> str:
        name, convertor = match.group(1), match.group(2) or "str"
        return values.get(name) or ("1" if convertor in ("int", "float") else "x")

    return re.sub(r"\{(\w+)(?::(\w+))?\}", value, template)


def _values(store: Store) -> dict[str, str]:
    article = store.articles.latest(limit=1)[0]
    source = store.sources.all()[0]
    story = store.stories.of_article(int(article.id or 0))
    return {
        "key": story[0].key if story else "none",
        "article_id": str(article.id),
        "id": str(article.id),
        "source_id": str(source.id),
        "category": source.category or "monde",
        "code": "fr",
        "lang": "fr",
        "action": "pause",
        "fmt": "xml",
    }


def test_every_state_changing_route_refuses_cross_site_requests(site: AdminSite) -> None:
    values = _values(site.store)
    unsafe = [(p, m) for p, methods in _routes(site) for m in methods if m in UNSAFE]
    assert any(p == "/admin/login" for p, _ in unsafe), "the route table looks incomplete"
    with site.client() as client:
        log_in(client)  # a session, as a logged-in editor's browser would send
        token = admin_token(client)
        for template, method in unsafe:
            path = _fill(template, values)
            for headers in (
                {"Origin": "https://attacker.example"},
                {"Sec-Fetch-Site": "cross-site"},
                {"Origin": "null"},
            ):
                answer = client.request(method, path, data={"csrf_token": token}, headers=headers)
                assert answer.status_code == 403, f"{method} {path} with {headers}"


def test_site_forms_need_their_token(site: AdminSite) -> None:
    values = _values(site.store)
    with site.client() as client:
        log_in(client)
        for template, methods in _routes(site):
            path = _fill(template, values)
            if path.startswith("/api/v1"):
                continue  # bearer tokens, no cookies: see tests/api/test_write.py
            for method in methods & set(UNSAFE):
                answer = client.request(method, path, data={"anything": "1"})
                assert answer.status_code == 403, f"{method} {path} without a token"
                forged = client.request(method, path, data={"csrf_token": "a.forged"})
                assert forged.status_code == 403, f"{method} {path} with a forged token"


def test_admin_forms_need_the_session_token_not_the_public_one(site: AdminSite) -> None:
    with site.client() as client:
        public = token_in(client.get("/admin/login").text)
        log_in(client)
        answer = client.post("/admin/logout", data={"csrf_token": public})
        assert answer.status_code == 403
        assert client.get("/admin").status_code == 200, "the refused logout ended the session"


def test_public_forms_work_with_the_page_token_urlencoded_or_multipart(site: AdminSite) -> None:
    with site.client() as client:
        home = client.get("/")
        token = token_in(home.text) if 'name="csrf_token"' in home.text else None
        assert token is None or token.startswith("a.")
        from actuel.web.security import anonymous_token

        token = token or anonymous_token(site.settings)
        plain = client.post("/langue", data={"lang": "en", "next": "/", "csrf_token": token})
        assert plain.status_code == 303
        assert "actuel_lang=en" in plain.headers["set-cookie"]
        fields = {"lang": "fr", "next": "/", "csrf_token": token}
        body = (
            "".join(
                f'--b0undary\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                for k, v in fields.items()
            )
            + "--b0undary--\r\n"
        )
        multipart = client.post(
            "/langue",
            content=body.encode(),
            headers={"Content-Type": "multipart/form-data; boundary=b0undary"},
        )
        assert multipart.status_code == 303
        in_header = client.post("/langue", data={"lang": "fr"}, headers={"X-CSRF-Token": token})
        assert in_header.status_code == 303
        same_origin = client.post(
            "/langue",
            data={"lang": "fr", "csrf_token": token},
            headers={"Origin": site.base, "Sec-Fetch-Site": "same-origin"},
        )
        assert same_origin.status_code == 303


def _dump(db: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_no_get_route_changes_the_database(site: AdminSite, tmp_path: Path) -> None:
    values = _values(site.store)
    gets = [_fill(p, values) for p, methods in _routes(site) if "GET" in methods]
    extras = ["/?lang=fr", "/search?q=le", "/admin/comments?status=spam", "/admin/sources/new"]
    with site.client() as client:
        log_in(client)
        before = _dump(site.settings.db)
        statuses = {}
        for path in gets + extras:
            statuses[path] = client.get(path).status_code
        after = _dump(site.settings.db)
    assert statuses["/admin"] == 200
    assert not [p for p, s in statuses.items() if s >= 500], statuses
    assert before == after, "a GET request changed the database"


def test_forms_on_every_admin_page_carry_the_session_token(site: AdminSite) -> None:
    with site.client() as client:
        log_in(client)
        for path in ("/admin", "/admin/sources", "/admin/comments", "/admin/stories"):
            html = client.get(path).text
            assert token_in(html).startswith("s."), path


def test_responses_carry_a_csp(site: AdminSite) -> None:
    with httpx.Client(base_url=site.base) as client:
        for path in ("/admin/login", "/"):
            assert "default-src 'none'" in client.get(path).headers["content-security-policy"]


def test_every_worker_signs_with_the_same_stored_key(site: AdminSite) -> None:
    """With several web workers (or after a restart), a page from one is posted to another."""
    import subprocess
    import sys

    from actuel.web.security import anonymous_token

    assert not site.settings.secret_key
    other_process = subprocess.run(
        [sys.executable, "-c", (
            "import sys; from actuel.config import load_settings;"
            "from actuel.web.security import anonymous_token;"
            "print(anonymous_token(load_settings(environ={}, db=sys.argv[1])))"
        ), site.settings.db],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert other_process.stdout.strip() == anonymous_token(site.settings)


HUGE = "99999999999999999999"


def test_numbers_past_the_databases_integers_are_not_found_with_the_headers(
    site: AdminSite,
) -> None:
    """SQLite raised OverflowError on these: a 500 without security headers, connection dropped."""
    paths = [
        f"/outlets/{HUGE}",
        f"/outlets/{HUGE}/feed.xml",
        f"/articles/{HUGE}",
        f"/sitemaps/articles-{HUGE}.xml",
        "/sitemaps/stories-9223372036854775807.xml",
        f"/api/v1/articles/{HUGE}",
        f"/api/v1/articles/{HUGE}/comments",
    ]
    with site.client() as client:
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 404, (path, answer.status_code)
            assert "default-src 'none'" in answer.headers["content-security-policy"], path
        assert client.get("/outlets/1").status_code == 200  # ids that fit still work


def test_a_server_error_is_a_page_with_the_headers_and_the_connection_kept(
    demo_site: DemoSite, tmp_path: Path
) -> None:
    """A database damaged under the site (a table gone): the article page fails, as it must,
    with the site's 500 page, its security headers, and the connection still usable."""
    settings = copy_demo(demo_site, tmp_path)
    with admin_site(settings) as broken, broken.client() as client:
        assert client.get("/articles/1").status_code == 200
        with sqlite3.connect(settings.db) as conn:
            conn.execute("ALTER TABLE articles RENAME TO articles_gone")
        page = client.get("/articles/3")  # not cached yet
        assert page.status_code == 500
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "<html" in page.text.lower()
        api = client.get("/api/v1/articles/3")
        assert api.status_code == 500 and api.json()["error"]["code"] == "store"
        assert "default-src 'none'" in api.headers["content-security-policy"]
        assert client.get("/static/site.css").status_code == 200  # same client, still served
