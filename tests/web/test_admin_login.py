"""Admin login: argon2id hashes, server-side sessions in cookies, rotation, logout, rate limit."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from actuel.accounts.passwords import hash_password
from actuel.cli import main
from tests.web.admin_support import (
    ADMIN,
    PASSWORD,
    AdminSite,
    admin_site,
    admin_token,
    copy_demo,
    log_in,
    token_in,
)
from tests.web.demo_site import DemoSite


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(copy_demo(demo_site, tmp_path_factory.mktemp("admin-login"))) as served:
        yield served


def test_admin_pages_ask_for_a_login_first(site: AdminSite) -> None:
    with site.client() as client:
        for path in (
            "/admin",
            "/admin/sources",
            "/admin/comments",
            "/admin/stories",
            "/admin/settings",
        ):
            answer = client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"].startswith("/admin/login?next=")


def test_login_sets_a_hardened_session_cookie_and_opens_the_dashboard(site: AdminSite) -> None:
    with site.client() as client:
        answer = log_in(client)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/admin"
        cookie = answer.headers["set-cookie"]
        assert "actuel_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
        assert "Path=/admin" in cookie
        assert "Secure" not in cookie  # served over plain http here
        page = client.get("/admin")
        assert page.status_code == 200
        assert "<svg" in page.text
        assert ADMIN in page.text
        stored = site.store.users.get_admin(ADMIN)
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash


def test_cookie_is_secure_when_served_over_https(site: AdminSite) -> None:
    # uvicorn trusts X-Forwarded-Proto from loopback, as it would from a local TLS proxy
    with site.client(headers={"X-Forwarded-Proto": "https"}) as client:
        form = client.get("/admin/login")
        answer = client.post(
            "/admin/login",
            data={"name": ADMIN, "password": PASSWORD, "csrf_token": token_in(form.text)},
        )
        assert answer.status_code == 303
        assert "Secure" in answer.headers["set-cookie"]


def test_unknown_name_and_wrong_password_get_the_same_answer(site: AdminSite) -> None:
    with site.client() as client:
        wrong = log_in(client, ADMIN, "not-the-password")
        unknown = log_in(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text == unknown.text
    assert "Nom ou mot de passe incorrect." in wrong.text
    assert "actuel_session" not in wrong.headers.get("set-cookie", "")


def test_a_new_login_rotates_the_session_and_logout_ends_it(site: AdminSite) -> None:
    with site.client() as first:
        log_in(first)
        old = first.cookies["actuel_session"]
        log_in(first)
        new = first.cookies["actuel_session"]
        assert new != old
    with site.client(cookies={"actuel_session": old}) as stale:
        assert stale.get("/admin").status_code == 303, "the session before the login still works"
    with site.client() as client:
        log_in(client)
        kept = client.cookies["actuel_session"]
        token = admin_token(client)
        out = client.post("/admin/logout", data={"csrf_token": token})
        assert out.status_code == 303
        assert (
            'actuel_session=""' in out.headers["set-cookie"]
            or "Max-Age=0" in out.headers["set-cookie"]
        )
    with site.client(cookies={"actuel_session": kept}) as after:
        assert after.get("/admin").status_code == 303, "a logged-out session still opens the admin"


def test_eleventh_failed_login_in_a_minute_is_refused(demo_site: DemoSite, tmp_path: Path) -> None:
    with admin_site(copy_demo(demo_site, tmp_path)) as fresh, fresh.client() as client:
        answers = [log_in(client, ADMIN, f"wrong-{n}").status_code for n in range(10)]
        assert answers == [401] * 10
        blocked = log_in(client)  # even the right password, once blocked
        assert blocked.status_code == 429
        assert blocked.headers["retry-after"] == "60"
        assert "actuel_session" not in blocked.headers.get("set-cookie", "")


def test_the_password_is_never_logged(
    site: AdminSite, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    secret_try = "wrong-but-secret-9931"
    with caplog.at_level(logging.DEBUG), site.client() as client:
        log_in(client, ADMIN, secret_try)
        log_in(client, "someone-else", secret_try)
        log_in(client)
    assert caplog.records, "the login wrote no log line at all"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    captured = capfd.readouterr()
    for text in (logged, captured.out, captured.err):
        assert secret_try not in text
        assert PASSWORD not in text


def test_create_user_command_then_log_in(site: AdminSite) -> None:
    result = CliRunner().invoke(
        main,
        ["admin", "create-user", "chef", "--password-stdin", "--db", site.settings.db],
        input="une-phrase-de-passe\n",
    )
    assert result.exit_code == 0, result.output
    assert "une-phrase-de-passe" not in result.output
    twice = CliRunner().invoke(
        main,
        ["admin", "create-user", "chef", "--password-stdin", "--db", site.settings.db],
        input="une-phrase-de-passe\n",
    )
    assert twice.exit_code == 1
    assert "already exists" in twice.output
    short = CliRunner().invoke(
        main,
        ["admin", "create-user", "court", "--password-stdin", "--db", site.settings.db],
        input="abc\n",
    )
    assert short.exit_code == 1
    with site.client() as client:
        assert log_in(client, "chef", "une-phrase-de-passe").status_code == 303


def test_login_goes_back_only_to_admin_pages(site: AdminSite) -> None:
    with site.client() as client:
        for wanted, landed in (
            ("/admin/comments", "/admin/comments"),
            ("https://attacker.example/", "/admin"),
            ("//attacker.example/admin", "/admin"),
            ("/admin//attacker.example", "/admin"),
        ):
            form = client.get("/admin/login", params={"next": wanted})
            assert 'name="next" value="' in form.text
            answer = client.post(
                "/admin/login",
                data={"name": ADMIN, "password": PASSWORD, "next": wanted,
                      "csrf_token": token_in(form.text)},
            )  # fmt: skip
            assert answer.headers["location"] == landed, wanted


def test_rate_limiter_forgets_quiet_addresses() -> None:
    from actuel.web.security import MAX_TRACKED, RateLimiter

    limiter = RateLimiter(limit=2, window_s=60)
    for n in range(MAX_TRACKED + 5):
        limiter.hit(f"10.0.{n // 256}.{n % 256}", now=float(n) / 1000)
    limiter.hit("192.0.2.1", now=1000.0)  # a minute later: every earlier address went quiet
    assert len(limiter._events) <= 6
    limiter.hit("192.0.2.1", now=1001.0)
    assert limiter.blocked("192.0.2.1", now=1002.0)
    assert not limiter.blocked("192.0.2.1", now=1062.0)


def test_a_one_time_password_must_be_replaced_before_any_admin_page(site: AdminSite) -> None:
    given = "donne-par-la-demo-1"
    site.store.users.create_admin("premiere", hash_password(given), one_time=True)
    with site.client() as client:
        answer = log_in(client, "premiere", given)
        assert answer.headers["location"] == "/admin/mot-de-passe"
        for path in ("/admin", "/admin/sources", "/admin/comments", "/admin/settings"):
            held = client.get(path)
            assert (held.status_code, held.headers["location"]) == (303, "/admin/mot-de-passe")
        page = client.get("/admin/mot-de-passe")
        assert page.status_code == 200 and "mot de passe à usage unique" in page.text
        token = token_in(page.text)

        def change(current: str, new: str, again: str | None = None) -> httpx.Response:
            fields = {"csrf_token": token, "current": current, "new": new, "again": again or new}
            return client.post("/admin/mot-de-passe", data=fields)

        refusals = {
            "Le mot de passe actuel n'est pas le bon.": change(
                "pas-le-bon-mdp", "une-phrase-a-moi"
            ),
            "Le nouveau mot de passe est trop court.": change(given, "court"),
            "Les deux saisies du nouveau mot de passe diffèrent.": change(
                given, "une-phrase-a-moi", "une-autre-phrase"
            ),
            "Choisissez un mot de passe différent de l'actuel.": change(given, given),
        }
        for message, refused in refusals.items():
            assert refused.status_code == 422 and message in html.unescape(refused.text)
        assert client.get("/admin").status_code == 303  # still held

        done = change(given, "une-phrase-a-moi")
        assert done.headers["location"] == "/admin?done=password"
        assert (
            "Votre nouveau mot de passe est enregistré."
            in client.get(done.headers["location"]).text
        )
    with site.client() as client:
        assert log_in(client, "premiere", given).status_code == 401  # spent
        assert log_in(client, "premiere", "une-phrase-a-moi").headers["location"] == "/admin"


def test_the_password_page_needs_a_login_and_a_form_token(site: AdminSite) -> None:
    with site.client() as client:
        assert client.get("/admin/mot-de-passe").headers["location"].startswith("/admin/login")
        assert log_in(client).status_code == 303
        forged = client.post(
            "/admin/mot-de-passe", data={"current": PASSWORD, "new": "x" * 12, "again": "x" * 12}
        )
        assert forged.status_code == 403
        assert log_in(client).status_code == 303  # the password is unchanged
